package dev.ganpipe.trainer.gan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GanConfigTest {

    @Test
    void dcgan28DefaultsMatchTheDcganPaper() {
        GanConfig c = GanConfig.dcgan28();
        assertThat(c.imageSize()).isEqualTo(28);
        assertThat(c.channels()).isEqualTo(1);
        assertThat(c.noiseDim()).isEqualTo(100);
        assertThat(c.generatorWidth()).isEqualTo(64);
        assertThat(c.discriminatorWidth()).isEqualTo(64);
        assertThat(c.learningRate()).isEqualTo(2e-4);
        assertThat(c.beta1()).isEqualTo(0.5);
        assertThat(c.beta2()).isEqualTo(0.999);
        assertThat(c.threads()).isZero();
        assertThat(c.imageElements()).isEqualTo(784);
        assertThat(GanConfig.dcgan64().imageElements()).isEqualTo(3 * 64 * 64);
    }

    @Test
    void withersChangeOnlyTheirField() {
        GanConfig c = GanConfig.dcgan28().withSeed(7).withWidths(16, 8).withThreads(1);
        assertThat(c).isEqualTo(new GanConfig(28, 1, 100, 16, 8, 2e-4, 0.5, 0.999, 7, 1));
        assertThat(c.emaDecay()).as("EMA on by default").isEqualTo(GanConfig.DEFAULT_EMA_DECAY);
        assertThat(c.spectralNorm()).as("spectral norm off by default").isFalse();
        assertThat(c.withEmaDecay(0).withSpectralNorm(true))
                .isEqualTo(new GanConfig(28, 1, 100, 16, 8, 2e-4, 0.5, 0.999, 7, 1, 0, true, 0));
        assertThat(c.withEmaDecay(0).emaEnabled()).isFalse();
    }

    @Test
    void rejectsUnsupportedValuesWithSentencesThatSayWhatIsAccepted() {
        assertThatThrownBy(() -> new GanConfig(48, 1, 100, 64, 64, 2e-4, 0.5, 0.999, 1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("imageSize must be 28, 32 or 64 (the three supported DCGAN layouts), but was 48.");
        assertThatThrownBy(() -> new GanConfig(28, 2, 100, 64, 64, 2e-4, 0.5, 0.999, 1, 0))
                .hasMessageContaining("channels must be 1 (grey) or 3 (RGB)");
        assertThatThrownBy(() -> new GanConfig(28, 1, 0, 64, 64, 2e-4, 0.5, 0.999, 1, 0))
                .hasMessageContaining("noiseDim must be between 1 and");
        assertThatThrownBy(() -> new GanConfig(28, 1, 100, 0, 64, 2e-4, 0.5, 0.999, 1, 0))
                .hasMessageContaining("generatorWidth");
        assertThatThrownBy(() -> new GanConfig(28, 1, 100, 64, -1, 2e-4, 0.5, 0.999, 1, 0))
                .hasMessageContaining("discriminatorWidth");
        assertThatThrownBy(() -> new GanConfig(28, 1, 100, 64, 64, Double.NaN, 0.5, 0.999, 1, 0))
                .hasMessageContaining("learningRate must be a number above 0 and below 1");
        assertThatThrownBy(() -> new GanConfig(28, 1, 100, 64, 64, 2e-4, 1.0, 0.999, 1, 0))
                .hasMessageContaining("beta1");
        assertThatThrownBy(() -> new GanConfig(28, 1, 100, 64, 64, 2e-4, 0.5, -0.1, 1, 0))
                .hasMessageContaining("beta2");
        assertThatThrownBy(() -> new GanConfig(28, 1, 100, 64, 64, 2e-4, 0.5, 0.999, 1, -1))
                .hasMessageContaining("threads must be between 0 (engine default)");
        assertThatThrownBy(() -> new GanConfig(28, 1, 100, 64, 64, 2e-4, 0.5, 0.999, 1, 0, 1.0, false, 0))
                .hasMessage("emaDecay must be at least 0 (off) and below 1 (0.999 is usual), but was 1.0.");
    }
}
