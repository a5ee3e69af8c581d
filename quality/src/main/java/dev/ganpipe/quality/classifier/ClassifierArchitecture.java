package dev.ganpipe.quality.classifier;

import dev.ganpipe.common.image.ImageShape;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The classifier's layout: {@code convWidths.size()} blocks of 3x3 convolution, BatchNorm, ReLU and 2x2 max
 * pooling, then a dense layer of {@code featureDim} units with ReLU (the feature space of the metrics) and a dense
 * layer of one logit per class.
 *
 * @param input the image shape it reads
 * @param classes the number of classes
 * @param convWidths output channels of each convolution block
 * @param featureDim units of the penultimate layer
 */
public record ClassifierArchitecture(ImageShape input, int classes, List<Integer> convWidths, int featureDim) {

    /** Bumped whenever the layers change, so that old cache entries are not loaded into a new layout. */
    public static final int VERSION = 1;
    /** The feature dimension of the default layout. */
    public static final int DEFAULT_FEATURE_DIM = 128;

    private static final List<Integer> WIDTHS = List.of(32, 64, 128, 128);
    private static final int MIN_SIDE = 8;

    public ClassifierArchitecture {
        Objects.requireNonNull(input, "input");
        convWidths = List.copyOf(convWidths);
        if (classes < 2) {
            throw new IllegalArgumentException("A classifier needs at least two classes, but the data has " + classes
                    + "; give labelled data with several classes.");
        }
        if (convWidths.isEmpty() || convWidths.stream().anyMatch(w -> w < 1)) {
            throw new IllegalArgumentException("The classifier needs at least one convolution block of positive width, but got " + convWidths + ".");
        }
        if (Math.min(input.width(), input.height()) >> convWidths.size() < 1) {
            throw new IllegalArgumentException(input + " images are too small for " + convWidths.size() + " pooling steps.");
        }
        if (featureDim < 2) {
            throw new IllegalArgumentException("The feature dimension must be at least 2, but was " + featureDim + ".");
        }
    }

    /**
     * The default layout for a shape: two blocks (32, 64 channels) for small images such as 28x28 and 32x32, a third (128)
     * when the map would still be 8x8 or larger after it (64x64), a fourth for 128x128 and above.
     *
     * @throws IllegalArgumentException for images smaller than 8x8
     */
    public static ClassifierArchitecture defaultFor(ImageShape input, int classes) {
        int side = Math.min(input.width(), input.height());
        if (side < MIN_SIDE) {
            throw new IllegalArgumentException("The classifier needs images of at least " + MIN_SIDE + "x" + MIN_SIDE + ", but they are " + input + ".");
        }
        int blocks = 2;
        while (blocks < WIDTHS.size() && side >> (blocks + 1) >= MIN_SIDE) {
            blocks++;
        }
        return new ClassifierArchitecture(input, classes, WIDTHS.subList(0, blocks), DEFAULT_FEATURE_DIM);
    }

    /** A name that identifies the layout, e.g. {@code cnn1-28x28x1-k10-c32.64-f128}. */
    public String key() {
        return "cnn" + VERSION + "-" + input + "-k" + classes + "-c"
                + convWidths.stream().map(String::valueOf).collect(Collectors.joining(".")) + "-f" + featureDim;
    }
}
