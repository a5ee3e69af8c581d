package dev.ganpipe.trainer.gan;

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
