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
     * {@code new Random(s)} keeps only the low 48 bits of {@code s}, so without the mix seeds 2^48 apart (1 and
     * 281474976710657; -1 and {@code Long.MAX_VALUE}) gave the same noise, and so the same images (issue 22).
     */
    @Test
    void seedsThatDifferOnlyAboveTheLow48BitsGiveDifferentNoise() {
        long[][] pairs = {{1L, 281_474_976_710_657L}, {-1L, Long.MAX_VALUE}, {0L, Long.MIN_VALUE}, {7L, 7L + (5L << 50)}};
        for (long[] pair : pairs) {
            assertThat(pair[0] & 0xFFFF_FFFF_FFFFL).isEqualTo(pair[1] & 0xFFFF_FFFF_FFFFL);
            assertThat(Noise.gaussian(pair[0], 1, 100)).as("noise of seeds %d and %d", pair[0], pair[1])
                    .isNotEqualTo(Noise.gaussian(pair[1], 1, 100));
        }
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
