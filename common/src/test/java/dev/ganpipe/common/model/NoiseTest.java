package dev.ganpipe.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The noise of a seed: reproducible, and standard normal in every coordinate even for neighbouring seeds. */
class NoiseTest {

    @Test
    void theSameSeedGivesTheSameNoiseFromJavaUtilRandomOfTheMixedSeed() {
        float[] z = Noise.gaussian(7, 3, 100);
        Random reference = new Random(Noise.streamSeed(7));
        for (float v : z) {
            assertThat(v).isEqualTo((float) reference.nextGaussian());
        }
        assertThat(Noise.gaussian(7, 3, 100)).isEqualTo(z);
    }

    /**
     * The regression test: one image per seed for seeds 0, 1, 2, ... (continuous mode's seeds) used to give a first
     * coordinate of mean 0.88 and standard deviation 0.68.
     */
    @Test
    void neighbouringSeedsGiveStandardNormalFirstCoordinates() {
        int seeds = 2000;
        for (int coordinate = 0; coordinate < 3; coordinate++) {
            double sum = 0;
            double squares = 0;
            for (int s = 0; s < seeds; s++) {
                double v = Noise.gaussian(s, 1, 100)[coordinate];
                sum += v;
                squares += v * v;
            }
            double mean = sum / seeds;
            double std = Math.sqrt(squares / seeds - mean * mean);
            // Standard errors over 2,000 draws: 0.022 for the mean, 0.016 for the standard deviation.
            assertThat(mean).as("mean of coordinate %d", coordinate).isCloseTo(0, within(0.1));
            assertThat(std).as("standard deviation of coordinate %d", coordinate).isCloseTo(1, within(0.08));
        }
    }
}
