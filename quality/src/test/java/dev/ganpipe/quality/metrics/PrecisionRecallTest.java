package dev.ganpipe.quality.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PrecisionRecallTest {

    private static final FeatureSet REAL = line(0, 1, 2, 3, 10);
    private static final FeatureSet FAKE = line(0.5f, 5, 20);

    @Test
    void matchesHandComputedBallsWithOneNeighbour() {
        // Real radii (k = 1): 1, 1, 1, 1, 7. Fakes: 0.5 is within 1 of 0; 5 is within 7 of 10; 20 is 10 from 10 > 7.
        // Fake radii (k = 1, among fakes): 0.5 -> 4.5, 5 -> 4.5, 20 -> 15. Reals 0..3 lie within 4.5 of 0.5, and 10
        // within 15 of 20, so every real point is covered.
        PrecisionRecall.Result result = PrecisionRecall.between(REAL, FAKE, 1);

        assertThat(result.precision()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(result.recall()).isEqualTo(1.0);
        assertThat(PrecisionRecall.manifold(REAL, 1).radius(4)).isCloseTo(7, within(1e-6));
    }

    @Test
    void matchesHandComputedBallsWithThreeNeighbours() {
        // Real radii (k = 3): 0 -> 3 (1, 2, 3), 1 -> 2 (1, 1, 2), 2 -> 2, 3 -> 3, 10 -> 9 (7, 8, 9).
        // Fake 0.5 is within 3 of 0; 5 is within 3 of 3; 20 is 10 from 10 > 9.
        PrecisionRecall.Manifold real = PrecisionRecall.manifold(REAL, 3);

        assertThat(real.radius(0)).isCloseTo(3, within(1e-6));
        assertThat(real.radius(1)).isCloseTo(2, within(1e-6));
        assertThat(real.radius(4)).isCloseTo(9, within(1e-6));
        assertThat(real.shareInside(FAKE)).isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void aCollapsedGeneratorHasPrecisionButNoRecall() {
        Random random = new Random(1);
        FeatureSet real = FrechetDistanceTest.gaussian(random, 1500, 8, 0, 1);
        float[] collapsed = new float[1500 * 8]; // every fake near the mode
        for (int i = 0; i < collapsed.length; i++) {
            collapsed[i] = 0.05f * (float) random.nextGaussian();
        }
        FeatureSet fake = new FeatureSet(collapsed, 1500, 8);
        FeatureSet fresh = FrechetDistanceTest.gaussian(random, 1500, 8, 0, 1);

        PrecisionRecall.Result mode = PrecisionRecall.between(real, fake, 3);
        PrecisionRecall.Result good = PrecisionRecall.between(real, fresh, 3);

        assertThat(mode.precision()).isGreaterThan(0.95);
        assertThat(mode.recall()).isLessThan(0.1);
        assertThat(good.precision()).isGreaterThan(0.6);
        assertThat(good.recall()).isGreaterThan(0.6);
    }

    @Test
    void refusesTooFewVectorsForK() {
        assertThatThrownBy(() -> PrecisionRecall.manifold(line(1, 2, 3), 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than k vectors");
    }

    private static FeatureSet line(float... xs) {
        return new FeatureSet(xs.clone(), xs.length, 1);
    }
}
