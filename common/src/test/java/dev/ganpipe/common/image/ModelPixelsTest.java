package dev.ganpipe.common.image;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ModelPixelsTest {

    @Test
    void everyLevelSurvivesTheTripToAModelValueAndBack() {
        for (int level = 0; level < 256; level++) {
            float value = ModelPixels.toModelValue((byte) level);
            assertThat(value).isBetween(-1f, 1f);
            assertThat(ModelPixels.toLevel(value)).as("level %d", level).isEqualTo(level);
        }
        assertThat(ModelPixels.toModelValue((byte) 0)).isEqualTo(-1f);
        assertThat(ModelPixels.toModelValue((byte) 255)).isEqualTo(1f);
    }

    @Test
    void modelOutputsOutsideTheRangeAreClampedAndNanIsBlack() {
        assertThat(ModelPixels.toLevel(3.5f)).isEqualTo(255);
        assertThat(ModelPixels.toLevel(-7f)).isZero();
        assertThat(ModelPixels.toLevel(Float.NaN)).isZero();
        assertThat(ModelPixels.toLevel(0f)).isEqualTo(128);
    }
}
