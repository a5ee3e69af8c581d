package dev.ganpipe.quality.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.quality.data.RealData;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LabelAuditTest {

    private static final ImageShape SHAPE = new ImageShape(8, 8, 1);

    @Test
    void namesTheFirstImageOfAStretchWhoseLabelsAreShiftedByOne() {
        // The truth is t; the files pair image i with label t[i] up to 3000, then with t[i - 1]: an image went missing.
        Random random = new Random(1);
        int n = 4000;
        int[] truth = new int[n + 1];
        for (int i = 0; i < truth.length; i++) {
            truth[i] = random.nextInt(10);
        }
        int[] fileLabels = new int[n];
        int[] predicted = new int[n];
        for (int i = 0; i < n; i++) {
            fileLabels[i] = truth[i];
            int image = i < 3000 ? i : i + 1; // image 3000 of the truth is missing from the images file
            predicted[i] = random.nextDouble() < 0.92 ? truth[image] : random.nextInt(10);
        }

        Optional<String> warning = LabelAudit.audit(predicted, data(fileLabels), 0.92);

        assertThat(warning).hasValueSatisfying(w -> assertThat(w).contains("shifted by one from image 3000 of train", "label of the next image"));
    }

    @Test
    void staysQuietWhenTrainingLabelsAgreeAsWellAsHeldOutOnes() {
        Labelled images = Labelled.draw(2, 2000, 0.95);

        assertThat(LabelAudit.audit(images.predicted(), data(images.labels()), 0.92)).isEmpty();
    }

    @Test
    void reportsNoisyLabelsWithoutAShift() {
        Labelled images = Labelled.draw(3, 2000, 0.6);

        assertThat(LabelAudit.audit(images.predicted(), data(images.labels()), 0.92))
                .hasValueSatisfying(w -> assertThat(w).contains("noisy or misaligned"));
    }

    /** Random labels, and a classifier's predictions of them that are right with probability {@code accuracy}. */
    private record Labelled(int[] labels, int[] predicted) {

        static Labelled draw(long seed, int count, double accuracy) {
            Random random = new Random(seed);
            int[] labels = new int[count];
            int[] predicted = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = random.nextInt(10);
                predicted[i] = random.nextDouble() < accuracy ? labels[i] : random.nextInt(10);
            }
            return new Labelled(labels, predicted);
        }
    }

    private static RealData data(int[] labels) {
        return RealData.of("train", SHAPE, new byte[labels.length * SHAPE.values()], labels, List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));
    }
}
