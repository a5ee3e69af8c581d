package dev.ganpipe.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class NoiseRandomTest {

    @Test
    void producesExactlyTheStreamOfJavaUtilRandom() {
        for (long seed : new long[] {0, 42, -7, Long.MAX_VALUE}) {
            Random reference = new Random(seed);
            NoiseRandom ours = new NoiseRandom(seed);
            for (int i = 0; i < 5_000; i++) {
                if (i % 7 == 0) {
                    assertThat(ours.nextDouble()).as("seed %d, draw %d", seed, i).isEqualTo(reference.nextDouble());
                } else {
                    assertThat(ours.nextGaussian()).as("seed %d, draw %d", seed, i).isEqualTo(reference.nextGaussian());
                }
            }
        }
    }

    @Test
    void nextIntIsJavaUtilRandomsNextIntForPowersOfTwoAndOtherBounds() {
        // The replay buffer draws its slots with nextInt, and replaced java.util.Random with this generator so its
        // state can be checkpointed: the slots it draws must not change.
        Random reference = new Random(11);
        NoiseRandom ours = new NoiseRandom(11);
        int[] bounds = {1, 2, 64, 10_000, 1_000_003, Integer.MAX_VALUE, (1 << 30) + 1};
        for (int i = 0; i < 20_000; i++) {
            int bound = bounds[i % bounds.length];
            assertThat(ours.nextInt(bound)).as("draw %d, bound %d", i, bound).isEqualTo(reference.nextInt(bound));
        }
        assertThatThrownBy(() -> ours.nextInt(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be positive");
    }

    @Test
    void nextLongIsJavaUtilRandomsNextLong() {
        Random reference = new Random(13);
        NoiseRandom ours = new NoiseRandom(13);
        for (int i = 0; i < 1_000; i++) {
            assertThat(ours.nextLong()).as("draw %d", i).isEqualTo(reference.nextLong());
        }
    }

    @Test
    void aRestoredStateContinuesTheStreamEvenWithAGaussianPending() {
        NoiseRandom original = new NoiseRandom(9);
        original.nextGaussian(); // leaves the polar method's second value pending
        NoiseRandom.State state = original.state();
        assertThat(state.haveNextNextGaussian()).isTrue();
        NoiseRandom restored = NoiseRandom.restore(state);
        assertThat(restored.gaussians(1001)).containsExactly(original.gaussians(1001));
        assertThat(restored.state()).isEqualTo(original.state());
    }

    @Test
    void rejectsAStateThatCannotComeFromTheGenerator() {
        assertThatThrownBy(() -> new NoiseRandom.State(1L << 50, false, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must fit in 48 bits");
    }
}
