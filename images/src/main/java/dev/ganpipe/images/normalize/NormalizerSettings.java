package dev.ganpipe.images.normalize;

import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.kafka.TopicSetup;
import java.util.Objects;

/**
 * What the normaliser produces and what it refuses.
 *
 * @param shape the canonical shape of {@code images.train}, e.g. 28x28x1
 * @param classes the classes labels must name
 * @param maxBytes inputs over this many bytes are rejected as {@code too_large} without a look inside
 * @param maxPixels inputs whose declared width x height exceeds this are rejected as {@code too_many_pixels}
 *        before any pixel is decoded
 * @param minSide inputs narrower or lower than this are rejected as {@code too_small}: an upscaled icon is noise
 *        to a GAN, and 8 still admits the 28x28 training images with room to spare
 * @param background the colour transparent pixels are composited onto
 */
public record NormalizerSettings(ImageShape shape, ClassList classes, int maxBytes, long maxPixels, int minSide, Background background) {

    /** The image topics are created to hold this much (TopicSetup), so the two are one figure. */
    public static final int DEFAULT_MAX_BYTES = TopicSetup.DEFAULT_MAX_IMAGE_BYTES;
    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;
    public static final int DEFAULT_MIN_SIDE = 8;

    public NormalizerSettings {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(classes, "classes");
        Objects.requireNonNull(background, "background");
        if (maxBytes < 1) {
            throw new IllegalArgumentException("The byte limit must be positive, but was " + maxBytes + "; set --max-bytes, e.g. 10485760.");
        }
        if (maxPixels < 1) {
            throw new IllegalArgumentException("The pixel limit must be positive, but was " + maxPixels + "; set --max-pixels, e.g. 40000000.");
        }
        if (minSide < 1) {
            throw new IllegalArgumentException("The minimum side must be at least 1 pixel, but was " + minSide + "; set --min-side, e.g. 8.");
        }
    }

    /** The defaults: Fashion-MNIST shape and classes, 10 MiB, 40 megapixels, 8 pixels, black background. */
    public static NormalizerSettings defaults() {
        return new NormalizerSettings(ImageShape.FASHION_MNIST, ClassList.fashionMnist(), DEFAULT_MAX_BYTES,
                DEFAULT_MAX_PIXELS, DEFAULT_MIN_SIDE, Background.BLACK);
    }
}
