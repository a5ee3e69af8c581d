package dev.ganpipe.common.image;

import java.util.List;

/**
 * Width, height and channel count (1 gray, 3 RGB) of canonical images, written {@code 28x28x1}.
 */
public record ImageShape(int width, int height, int channels) {

    public static final ImageShape FASHION_MNIST = new ImageShape(28, 28, 1);
    /** The square sides the trainer has networks for (dcgan28, dcgan32, dcgan64), smallest first. */
    public static final List<Integer> TRAINABLE_SIDES = List.of(28, 32, 64);

    public ImageShape {
        if (width < 1 || height < 1 || width > 4096 || height > 4096) {
            throw new IllegalArgumentException("Image width and height must be between 1 and 4096, but were " + width + "x" + height + ".");
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("Images have 1 (gray) or 3 (RGB) channels, but " + channels + " were asked for.");
        }
    }

    /** Parses {@code WxHxC}, e.g. {@code 64x64x3}: the text of the {@code gan.image.shape} header, read as the client jar reads it. */
    public static ImageShape parse(String text) {
        dev.ganpipe.client.ImageShape shape = dev.ganpipe.client.ImageShape.parse(text);
        return new ImageShape(shape.width(), shape.height(), shape.channels());
    }

    /** Whether the trainer has networks for this shape: square, with one of the {@link #TRAINABLE_SIDES}. */
    public boolean trainable() {
        return width == height && TRAINABLE_SIDES.contains(width);
    }

    /** Pixels per image times channels: the length of one image's byte or float array. */
    public int values() {
        return width * height * channels;
    }

    @Override
    public String toString() {
        return new dev.ganpipe.client.ImageShape(width, height, channels).toString();
    }
}
