package dev.ganpipe.client;

import java.util.Locale;

/**
 * Width, height and channel count (1 gray, 3 RGB) of a synthetic image, as its {@code gan.image.shape} header and the
 * model list write it: {@code 28x28x1}. The services' {@code common.image.ImageShape} reads and writes that text
 * through this class, so the format is defined once.
 */
public record ImageShape(int width, int height, int channels) {

    public ImageShape {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("An image is at least 1x1 pixels, but the shape says " + width + "x" + height + ".");
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("Images have 1 (gray) or 3 (RGB) channels, but the shape says " + channels + ".");
        }
    }

    /**
     * Parses {@code WxHxC}, e.g. {@code 64x64x3}.
     *
     * @throws IllegalArgumentException when the text is not written that way
     */
    public static ImageShape parse(String text) {
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split("x");
        if (parts.length != 3) {
            throw new IllegalArgumentException("An image shape is written WIDTHxHEIGHTxCHANNELS, e.g. 28x28x1, but got '" + text + "'.");
        }
        try {
            return new ImageShape(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("An image shape is written WIDTHxHEIGHTxCHANNELS, e.g. 28x28x1, but got '" + text + "'.", e);
        }
    }

    /** Pixels times channels: the length of one image's array of values. */
    public int values() {
        return width * height * channels;
    }

    @Override
    public String toString() {
        return width + "x" + height + "x" + channels;
    }
}
