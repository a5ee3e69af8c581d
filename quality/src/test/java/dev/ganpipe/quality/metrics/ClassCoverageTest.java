package dev.ganpipe.quality.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ClassCoverageTest {

    @Test
    void countsClassesWithAtLeastHalfTheirExpectedShare() {
        // Expected 25% each; class 0 has 50%, class 1 25%, class 2 12.5% (exactly half: covered), class 3 12.5% minus one.
        int[] predicted = new int[80];
        int i = 0;
        for (; i < 40; i++) {
            predicted[i] = 0;
        }
        for (; i < 60; i++) {
            predicted[i] = 1;
        }
        for (; i < 70; i++) {
            predicted[i] = 2;
        }
        for (; i < 79; i++) {
            predicted[i] = 3;
        }
        predicted[79] = 0;

        ClassCoverage coverage = ClassCoverage.of(predicted, new double[] {0.25, 0.25, 0.25, 0.25});

        assertThat(coverage.counts()).containsExactly(41, 20, 10, 9);
        assertThat(coverage.covered()).isEqualTo(3);
        assertThat(coverage.classes()).isEqualTo(4);
        assertThat(coverage.ratio()).isCloseTo(0.75, within(1e-12));
    }

    @Test
    void classesWithoutRealImagesDoNotCount() {
        ClassCoverage coverage = ClassCoverage.of(new int[] {0, 0, 1}, new double[] {0.5, 0.5, 0});

        assertThat(coverage.classes()).isEqualTo(2);
        assertThat(coverage.covered()).isEqualTo(2);
    }

    @Test
    void accuracyIsTheShareOfRequestedLabelsHit() {
        assertThat(ClassCoverage.accuracy(new int[] {0, 1, 2, 2}, new int[] {0, 1, 1, 2})).isEqualTo(0.75);
    }
}
