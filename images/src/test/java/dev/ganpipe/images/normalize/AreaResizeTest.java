package dev.ganpipe.images.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AreaResizeTest {

    @Test
    void halvingAveragesEachTwoByTwoBlock() {
        byte[] src = bytes(
                10, 30, 100, 100,
                50, 70, 0, 200,
                255, 255, 0, 0,
                255, 255, 0, 4);
        assertThat(AreaResize.resize(src, 4, 4, 1, 2, 2)).containsExactly(bytes(40, 100, 255, 1));
    }

    @Test
    void nonIntegerScaleWeightsBorderPixelsByTheirCoveredFraction() {
        // 3 -> 2: output 0 covers source [0, 1.5): pixel 0 with weight 2/3 and pixel 1 with weight 1/3.
        byte[] src = bytes(
                0, 30, 60,
                90, 120, 150,
                180, 210, 240);
        assertThat(AreaResize.resize(src, 3, 3, 1, 2, 2)).containsExactly(bytes(40, 80, 160, 200));
    }

    @Test
    void scaleOneReturnsThePixelsUnchanged() {
        byte[] src = new byte[28 * 28 * 3];
        new Random(7).nextBytes(src);
        assertThat(AreaResize.resize(src, 28, 28, 3, 28, 28)).containsExactly(src);
    }

    @Test
    void enlargingRepeatsEachPixelOverTheAreaItCovers() {
        assertThat(AreaResize.resize(bytes(10, 20), 2, 1, 1, 4, 2)).containsExactly(bytes(10, 10, 20, 20, 10, 10, 20, 20));
    }

    @Test
    void channelsAreAveragedIndependently() {
        byte[] src = bytes(
                255, 0, 0, 0, 0, 255,
                255, 0, 0, 0, 0, 255);
        assertThat(AreaResize.resize(src, 2, 2, 3, 1, 1)).containsExactly(bytes(128, 0, 128));
    }

    @Test
    void aStripeEveryOtherColumnBecomesMidGrayInsteadOfAliasing() {
        byte[] src = new byte[56 * 56];
        for (int i = 0; i < src.length; i++) {
            src[i] = (byte) ((i % 2 == 0) ? 255 : 0);
        }
        byte[] out = AreaResize.resize(src, 56, 56, 1, 28, 28);
        for (byte b : out) {
            assertThat(b & 0xff).isEqualTo(128);
        }
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
