package dev.ganpipe.quality.usefulness;

/**
 * The classification accuracy score (Ravuri and Vinyals, 2019): a classifier trained only on N generated images
 * labelled with the class they were requested as, tested on held-out real images, beside the same classifier
 * trained on N real training images. The ratio is the headline: 1 means the generated images teach as much as real
 * ones.
 *
 * @param generated the classifier trained on generated images
 * @param real the same classifier trained on as many real images
 */
public record ClassificationAccuracyScore(TestScore generated, TestScore real) {

    /** Generated accuracy over real accuracy. */
    public double ratio() {
        return generated.accuracy() / real.accuracy();
    }
}
