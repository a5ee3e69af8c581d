package dev.ganpipe.common.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
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

    @Test
    void levelsRoundAsMathRoundDoesForEveryKindOfFloat() {
        Random random = new Random(3);
        float[] values = new float[200_000];
        for (int i = 0; i < values.length; i++) {
            // Uniform values, values next to every half level (where rounding decides), and arbitrary bit patterns.
            values[i] = switch (i % 3) {
                case 0 -> random.nextFloat() * 4 - 2;
                case 1 -> Math.nextAfter((random.nextInt(256) + 0.5f) / 127.5f - 1f, random.nextBoolean() ? 2 : -2);
                default -> Float.intBitsToFloat(random.nextInt());
            };
        }
        for (float value : values) {
            float clamped = Float.isNaN(value) ? -1f : Math.max(-1f, Math.min(1f, value));
            assertThat(ModelPixels.toLevel(value)).as("level of %s", value).isEqualTo(Math.round((clamped + 1f) * 127.5f));
        }
        // The whole-image path (vectorised by the JIT) gives the same levels as one value at a time, gray and RGB.
        for (ImageShape shape : new ImageShape[] {ImageShape.parse("28x28x1"), ImageShape.parse("8x4x3")}) {
            CanonicalImage image = ModelPixels.fromModelOutput(values, 17, shape);
            int plane = shape.width() * shape.height();
            for (int p = 0; p < plane; p++) {
                for (int c = 0; c < shape.channels(); c++) {
                    assertThat(image.pixels()[p * shape.channels() + c] & 0xff).isEqualTo(ModelPixels.toLevel(values[17 + c * plane + p]));
                }
            }
        }
    }
}
