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
        Random random = new Random(2);
        int[] labels = new int[2000];
        int[] predicted = new int[2000];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = random.nextInt(10);
            predicted[i] = random.nextDouble() < 0.95 ? labels[i] : random.nextInt(10);
        }

        assertThat(LabelAudit.audit(predicted, data(labels), 0.92)).isEmpty();
    }

    @Test
    void reportsNoisyLabelsWithoutAShift() {
        Random random = new Random(3);
        int[] labels = new int[2000];
        int[] predicted = new int[2000];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = random.nextInt(10);
            predicted[i] = random.nextDouble() < 0.6 ? labels[i] : random.nextInt(10);
        }

        assertThat(LabelAudit.audit(predicted, data(labels), 0.92)).hasValueSatisfying(w -> assertThat(w).contains("noisy or misaligned"));
    }

    private static RealData data(int[] labels) {
        return RealData.of("train", SHAPE, new byte[labels.length * SHAPE.values()], labels, List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));
    }
}
