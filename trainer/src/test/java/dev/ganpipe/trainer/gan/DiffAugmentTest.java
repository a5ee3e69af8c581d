package dev.ganpipe.trainer.gan;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.ganpipe.common.model.NoiseRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** DiffAugment's operations on real DJL arrays: what each does to an image, and that gradients pass through them. */
class DiffAugmentTest extends TorchCpuFixture {

    private static final int N = 16;
    private static final int SIDE = 28;

    private static Augmentation only(String ops) {
        return Augmentation.parse("diffaugment", ops, 1.0, Augmentation.DEFAULT_TARGET);
    }

    @Test
    void translationMovesEachImageByAtMostAnEighthOfItsSideAndFillsTheBorderWithZero() {
        float[] pixels = new float[N * SIDE * SIDE];
        for (int i = 0; i < N; i++) {
            pixels[(i * SIDE + 14) * SIDE + 14] = 1f; // one bright pixel in the middle of each image
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray out = new DiffAugment(only("translation")).apply(scope.create(pixels, new Shape(N, 1, SIDE, SIDE)), 1.0,
                    new NoiseRandom(1), scope);
            float[] values = out.toFloatArray();
            int moved = 0;
            for (int i = 0; i < N; i++) {
                float[] image = Arrays.copyOfRange(values, i * SIDE * SIDE, (i + 1) * SIDE * SIDE);
                int at = -1;
                for (int k = 0; k < image.length; k++) {
                    if (image[k] != 0f) {
                        assertThat(at).as("image %d has one bright pixel", i).isEqualTo(-1);
                        assertThat(image[k]).isEqualTo(1f);
                        at = k;
                    }
                }
                int dy = 14 - at / SIDE;
                int dx = 14 - at % SIDE;
                assertThat(Math.abs(dy)).isLessThanOrEqualTo(4); // round(28 / 8)
                assertThat(Math.abs(dx)).isLessThanOrEqualTo(4);
                moved += dy != 0 || dx != 0 ? 1 : 0;
            }
            assertThat(moved).as("images shifted with p = 1").isGreaterThan(N / 2);

            // The same draws shift images of ones: what is left is a (SIDE - |dy|) x (SIDE - |dx|) block of ones, the
            // uncovered border 0, and every channel of an image moves alike.
            float[] ones = new float[N * 3 * SIDE * SIDE];
            Arrays.fill(ones, 1f);
            float[] shiftedOnes = new DiffAugment(only("translation")).apply(scope.create(ones, new Shape(N, 3, SIDE, SIDE)), 1.0,
                    new NoiseRandom(1), scope).toFloatArray();
            for (int i = 0; i < N; i++) {
                int at = -1;
                float[] single = Arrays.copyOfRange(values, i * SIDE * SIDE, (i + 1) * SIDE * SIDE);
                for (int k = 0; k < single.length; k++) {
                    at = single[k] != 0f ? k : at;
                }
                int dy = Math.abs(14 - at / SIDE);
                int dx = Math.abs(14 - at % SIDE);
                for (int c = 0; c < 3; c++) {
                    float[] channel = Arrays.copyOfRange(shiftedOnes, (i * 3 + c) * SIDE * SIDE, (i * 3 + c + 1) * SIDE * SIDE);
                    double sum = 0;
                    for (float v : channel) {
                        assertThat(v).isIn(0f, 1f);
                        sum += v;
                    }
                    assertThat(sum).as("image %d channel %d keeps (28 - %d) x (28 - %d) pixels", i, c, dy, dx)
                            .isEqualTo((double) (SIDE - dy) * (SIDE - dx));
                }
            }
        }
    }

    @Test
    void cutoutZeroesASquareOfHalfTheSideClippedAtTheEdges() {
        float[] ones = new float[N * SIDE * SIDE];
        Arrays.fill(ones, 1f);
        try (NDManager scope = manager.newSubManager()) {
            float[] values = new DiffAugment(only("cutout")).apply(scope.create(ones, new Shape(N, 1, SIDE, SIDE)), 1.0,
                    new NoiseRandom(2), scope).toFloatArray();
            for (int i = 0; i < N; i++) {
                long zeros = 0;
                for (int k = i * SIDE * SIDE; k < (i + 1) * SIDE * SIDE; k++) {
                    zeros += values[k] == 0f ? 1 : 0;
                }
                assertThat(zeros).as("image %d", i).isBetween(7L * 7, 14L * 14);
            }
        }
    }

    @Test
    void colourChangesBrightnessAndContrastOfGreyImagesAndSaturationOfRgbOnly() {
        float[] grey = new float[N * SIDE * SIDE];
        new java.util.Random(3).ints(grey.length, -100, 100).forEach(new java.util.function.IntConsumer() {
            private int k;

            @Override
            public void accept(int v) {
                grey[k++] = v / 100f;
            }
        });
        try (NDManager scope = manager.newSubManager()) {
            NDArray in = scope.create(grey, new Shape(N, 1, SIDE, SIDE));
            DiffAugment colour = new DiffAugment(only("color"));
            assertThat(colour.apply(in, 0.0, new NoiseRandom(4), scope)).as("p = 0 leaves the batch alone").isSameAs(in);
            float[] out = colour.apply(in, 1.0, new NoiseRandom(4), scope).toFloatArray();
            assertThat(out).isNotEqualTo(grey);
            float[] again = colour.apply(in, 1.0, new NoiseRandom(4), scope).toFloatArray();
            assertThat(again).as("the same draws give the same augmentation").isEqualTo(out);

            // An RGB image whose three channels are equal is grey: saturation cannot change it, so only brightness and
            // contrast act, and its channels stay equal.
            float[] rgb = new float[N * 3 * SIDE * SIDE];
            for (int i = 0; i < N; i++) {
                for (int c = 0; c < 3; c++) {
                    System.arraycopy(grey, i * SIDE * SIDE, rgb, (i * 3 + c) * SIDE * SIDE, SIDE * SIDE);
                }
            }
            float[] rgbOut = colour.apply(scope.create(rgb, new Shape(N, 3, SIDE, SIDE)), 1.0, new NoiseRandom(5), scope).toFloatArray();
            for (int i = 0; i < N; i++) {
                for (int k = 0; k < SIDE * SIDE; k++) {
                    float r = rgbOut[(i * 3) * SIDE * SIDE + k];
                    assertThat(rgbOut[(i * 3 + 1) * SIDE * SIDE + k]).isCloseTo(r, org.assertj.core.data.Offset.offset(1e-5f));
                    assertThat(rgbOut[(i * 3 + 2) * SIDE * SIDE + k]).isCloseTo(r, org.assertj.core.data.Offset.offset(1e-5f));
                }
            }
        }
    }

    @Test
    void gradientsFlowThroughEveryOperationToThePixelsStillInView() {
        float[] pixels = new float[N * 3 * SIDE * SIDE];
        Arrays.fill(pixels, 0.25f);
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(pixels, new Shape(N, 3, SIDE, SIDE));
            x.setRequiresGradient(true);
            NDArray out;
            try (GradientCollector collector = engine.newGradientCollector()) {
                out = new DiffAugment(only("translation,cutout")).apply(x, 1.0, new NoiseRandom(6), scope);
                collector.backward(out.sum());
            }
            float[] gradient = x.getGradient().toFloatArray();
            float[] seen = out.toFloatArray();
            // Translation and cutout only move or hide pixels: each pixel still in view has gradient 1, the rest 0, so
            // the gradient sums to the pixels in view, as the output does (each of those shows 0.25).
            double gradientSum = 0;
            for (float g : gradient) {
                assertThat(g).isIn(0f, 1f);
                gradientSum += g;
            }
            double inView = 0;
            for (float v : seen) {
                inView += v / 0.25f;
            }
            assertThat(gradientSum).isCloseTo(inView, org.assertj.core.data.Offset.offset(1e-3));
            assertThat(gradientSum).isLessThan(pixels.length).isGreaterThan(pixels.length / 2.0);

            x.setRequiresGradient(true); // resets the gradient
            try (GradientCollector collector = engine.newGradientCollector()) {
                collector.backward(new DiffAugment(only("color")).apply(x, 1.0, new NoiseRandom(7), scope).mul(x).sum());
            }
            assertThat(x.getGradient().abs().sum().getFloat()).as("colour passes gradients").isGreaterThan(0f);
        }
    }
}
