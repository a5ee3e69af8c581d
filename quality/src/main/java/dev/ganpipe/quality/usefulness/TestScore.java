package dev.ganpipe.quality.usefulness;

import dev.ganpipe.quality.Progress;
import dev.ganpipe.quality.classifier.ClassifierOptions;
import dev.ganpipe.quality.classifier.ClassifierTrainer;
import dev.ganpipe.quality.classifier.DomainClassifier;
import dev.ganpipe.quality.data.RealData;
import java.util.Arrays;

/**
 * What a classifier trained on one set scores on held-out real images.
 *
 * @param trainImages images it trained on
 * @param accuracy share of the test images classified as their label, 0..1
 * @param recall per class: the share of that class's test images classified as it, 0..1 (NaN for a class the test
 *        set lacks)
 */
public record TestScore(int trainImages, double accuracy, double[] recall) {

    public TestScore {
        recall = recall.clone();
    }

    @Override
    public double[] recall() {
        return recall.clone();
    }

    /** Trains a fresh classifier on {@code train} for {@code steps} steps, tests it on {@code test} and frees it. */
    static TestScore of(RealData train, RealData test, ClassifierOptions options, int steps) {
        try (DomainClassifier classifier = ClassifierTrainer.trainForSteps(train, options, steps, Progress.silent())) {
            int[] all = new int[test.count()];
            Arrays.setAll(all, i -> i);
            int[] predicted = classifier.extract(test, all).predicted();
            int classes = test.classCount();
            int[] hits = new int[classes];
            int[] totals = new int[classes];
            int correct = 0;
            for (int i = 0; i < predicted.length; i++) {
                int label = test.label(i);
                totals[label]++;
                if (predicted[i] == label) {
                    hits[label]++;
                    correct++;
                }
            }
            double[] recall = new double[classes];
            for (int c = 0; c < classes; c++) {
                recall[c] = totals[c] == 0 ? Double.NaN : hits[c] / (double) totals[c];
            }
            return new TestScore(train.count(), correct / (double) predicted.length, recall);
        }
    }
}
