package dev.ganpipe.common.image;

import java.util.Arrays;
import java.util.Objects;

/**
 * One image in canonical form: 8-bit pixels, row-major, channels interleaved (gray: one byte a pixel; RGB: R, G,
 * B). The array is owned by this object; callers must not modify it after construction.
 */
public record CanonicalImage(ImageShape shape, byte[] pixels) {

    public CanonicalImage {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(pixels, "pixels");
        if (pixels.length != shape.values()) {
            throw new IllegalArgumentException("A " + shape + " image needs " + shape.values() + " bytes, but got " + pixels.length + ".");
        }
    }

    /** The value of channel {@code c} at (x, y), 0..255. */
    public int value(int x, int y, int c) {
        return pixels[(y * shape.width() + x) * shape.channels() + c] & 0xff;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CanonicalImage other && shape.equals(other.shape) && Arrays.equals(pixels, other.pixels);
    }

    @Override
    public int hashCode() {
        return 31 * shape.hashCode() + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "CanonicalImage[" + shape + "]";
    }
}
