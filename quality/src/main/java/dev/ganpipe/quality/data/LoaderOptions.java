package dev.ganpipe.quality.data;

import dev.ganpipe.common.image.ImageShape;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link RealDataLoader} reads labelled images.
 *
 * @param shape every image is normalised to this shape (the generator's), as ingest would normalise it
 * @param classNames the class names in label order; empty to take them from the data (numeric labels are named by
 *        their number, or by the Fashion-MNIST names for a Fashion-MNIST data set; folder and {@code labels.csv}
 *        names are sorted)
 * @param heldOutFraction the share of the images held out when the data has no held-out set of its own
 * @param seed picks the held-out images of such a split
 */
public record LoaderOptions(ImageShape shape, Optional<List<String>> classNames, double heldOutFraction, long seed) {

    /** The default share held out: one in five. */
    public static final double DEFAULT_HELD_OUT_FRACTION = 0.2;

    public LoaderOptions {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(classNames, "classNames");
        classNames = classNames.map(List::copyOf);
        if (!(heldOutFraction > 0 && heldOutFraction < 1)) {
            throw new IllegalArgumentException("The held-out fraction must be above 0 and below 1 (e.g. 0.2), but was " + heldOutFraction + ".");
        }
    }

    /** Defaults for a shape: classes from the data, a fifth held out, seed 0. */
    public static LoaderOptions forShape(ImageShape shape) {
        return new LoaderOptions(shape, Optional.empty(), DEFAULT_HELD_OUT_FRACTION, 0L);
    }

    /** A copy with the given class names. */
    public LoaderOptions withClassNames(List<String> names) {
        return new LoaderOptions(shape, Optional.of(names), heldOutFraction, seed);
    }
}
