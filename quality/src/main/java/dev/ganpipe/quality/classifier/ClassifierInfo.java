package dev.ganpipe.quality.classifier;

/**
 * What is known about a trained classifier.
 *
 * @param architecture the layout's key, e.g. {@code cnn1-28x28x1-k10-c32.64-f128}
 * @param datasetSha256 the hash of the training set it learned
 * @param trainImages how many images it learned from
 * @param options how it was trained
 * @param heldOutAccuracy its accuracy on the held-out set it was trained with, 0..1
 * @param trainAccuracy the share of its own training labels it agrees with, 0..1: clearly below the held-out
 *        accuracy means wrong training labels
 * @param labelWarning a sentence about suspicious training labels, or an empty string
 * @param trainSeconds how long training took
 * @param fromCache whether this instance was loaded from the cache rather than trained now
 * @param cacheEntry the cache directory it lives in, or an empty string when it was not cached
 */
public record ClassifierInfo(String architecture, String datasetSha256, int trainImages, String options, double heldOutAccuracy,
        double trainAccuracy, String labelWarning, double trainSeconds, boolean fromCache, String cacheEntry) {

    /** The same classifier, marked as stored in a cache entry. */
    ClassifierInfo storedIn(String entry) {
        return new ClassifierInfo(architecture, datasetSha256, trainImages, options, heldOutAccuracy, trainAccuracy, labelWarning, trainSeconds,
                false, entry);
    }
}
