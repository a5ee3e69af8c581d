package dev.ganpipe.quality.classifier;

import java.util.Locale;

/**
 * How the classifier is trained: Adam with a cosine learning-rate decay to a twentieth of the start, over
 * {@code epochs} passes in shuffled mini-batches.
 *
 * @param epochs passes over the training set
 * @param batchSize images per step
 * @param learningRate Adam's initial learning rate
 * @param seed initial weights and shuffling
 */
public record ClassifierOptions(int epochs, int batchSize, double learningRate, long seed) {

    /** Default passes: about 91% held-out accuracy on Fashion-MNIST. */
    public static final int DEFAULT_EPOCHS = 4;
    /** Default batch. */
    public static final int DEFAULT_BATCH_SIZE = 64;
    /** Default Adam learning rate. */
    public static final double DEFAULT_LEARNING_RATE = 1e-3;

    public ClassifierOptions {
        if (epochs < 1 || epochs > 1000) {
            throw new IllegalArgumentException("The classifier trains for 1 to 1000 epochs, but " + epochs + " were asked for.");
        }
        if (batchSize < 2 || batchSize > 4096) {
            throw new IllegalArgumentException("The classifier batch size must be between 2 and 4096, but was " + batchSize + ".");
        }
        if (!(learningRate > 0 && learningRate < 1)) {
            throw new IllegalArgumentException("The classifier learning rate must be above 0 and below 1 (e.g. 0.001), but was " + learningRate + ".");
        }
    }

    /** The defaults. */
    public static ClassifierOptions defaults() {
        return new ClassifierOptions(DEFAULT_EPOCHS, DEFAULT_BATCH_SIZE, DEFAULT_LEARNING_RATE, 1L);
    }

    /** A copy with another number of epochs. */
    public ClassifierOptions withEpochs(int newEpochs) {
        return new ClassifierOptions(newEpochs, batchSize, learningRate, seed);
    }

    /** A name for the cache key, e.g. {@code e4-b64-lr0.001-s1}. */
    public String key() {
        return String.format(Locale.ROOT, "e%d-b%d-lr%s-s%d", epochs, batchSize, Double.toString(learningRate), seed);
    }
}
