package dev.ganpipe.common.image;

/**
 * Width, height and channel count (1 gray, 3 RGB) of canonical images, written {@code 28x28x1}.
 */
public record ImageShape(int width, int height, int channels) {

    public static final ImageShape FASHION_MNIST = new ImageShape(28, 28, 1);

    public ImageShape {
        if (width < 1 || height < 1 || width > 4096 || height > 4096) {
            throw new IllegalArgumentException("Image width and height must be between 1 and 4096, but were " + width + "x" + height + ".");
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("Images have 1 (gray) or 3 (RGB) channels, but " + channels + " were asked for.");
        }
    }

    /** Parses {@code WxHxC}, e.g. {@code 64x64x3}. */
    public static ImageShape parse(String text) {
        String[] parts = text.trim().toLowerCase(java.util.Locale.ROOT).split("x");
        if (parts.length != 3) {
            throw new IllegalArgumentException("An image shape is written WIDTHxHEIGHTxCHANNELS, e.g. 28x28x1, but got '" + text + "'.");
        }
        try {
            return new ImageShape(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("An image shape is written WIDTHxHEIGHTxCHANNELS, e.g. 28x28x1, but got '" + text + "'.", e);
        }
    }

    /** Pixels per image times channels: the length of one image's byte or float array. */
    public int values() {
        return width * height * channels;
    }

    @Override
    public String toString() {
        return width + "x" + height + "x" + channels;
    }
}
