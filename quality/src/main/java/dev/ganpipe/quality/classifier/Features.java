package dev.ganpipe.quality.classifier;

import dev.ganpipe.quality.metrics.FeatureSet;

/**
 * What the classifier makes of a batch of images.
 *
 * @param vectors the penultimate-layer features, one vector per image
 * @param predicted the most likely class of each image
 */
public record Features(FeatureSet vectors, int[] predicted) {

    public Features {
        if (vectors.count() != predicted.length) {
            throw new IllegalArgumentException(vectors.count() + " feature vectors but " + predicted.length + " predictions.");
        }
        predicted = predicted.clone();
    }

    @Override
    public int[] predicted() {
        return predicted.clone();
    }
}
