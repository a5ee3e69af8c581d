package dev.ganpipe.generator.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.model.Noise;
import dev.ganpipe.generator.TestModels;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OnnxGeneratorTest {

    private static final ImageShape SHAPE = ImageShape.parse(TestModels.SHAPE);
    private static OrtSessionFactory ort;
    private static byte[] onnx;

    @BeforeAll
    static void trainModel() {
        ort = new OrtSessionFactory(OrtSettings.cpu());
        onnx = TestModels.first().onnx();
    }

    @Test
    void aTrainedGeneratorMakesFiniteImagesOfTheManifestShapeInRange() {
        try (OnnxGenerator generator = OnnxGenerator.load(ort, onnx, SHAPE, TestModels.NOISE_DIM)) {
            float[] out = generator.generate(Noise.gaussian(3, 5, TestModels.NOISE_DIM), 5);

            assertThat(out).hasSize(5 * 28 * 28);
            for (float v : out) {
                assertThat(v).isBetween(-1f, 1f);
            }
            assertThat(generator.noiseDim()).isEqualTo(100);
            assertThat(generator.shape()).isEqualTo(SHAPE);
        }
    }

    @Test
    void eachImageIsTheSameWhateverBatchItRunsIn() {
        try (OnnxGenerator generator = OnnxGenerator.load(ort, onnx, SHAPE, TestModels.NOISE_DIM)) {
            int n = 37;
            float[] z = Noise.gaussian(11, n, TestModels.NOISE_DIM);
            float[] batched = generator.generate(z, n);
            for (int i = 0; i < n; i++) {
                float[] alone = generator.generate(Arrays.copyOfRange(z, i * 100, (i + 1) * 100), 1);
                assertThat(Arrays.copyOfRange(batched, i * 784, (i + 1) * 784)).as("image %d", i).containsExactly(alone);
            }
        }
    }

    @Test
    void theAutoProviderServesOnWhateverThisMachineHas() {
        OrtSessionFactory auto = new OrtSessionFactory(new OrtSettings(OrtSettings.Provider.AUTO, 0, OrtSettings.parseOptimization("all")));

        assertThat(auto.provider()).isIn("CUDA", "CPU");
        try (OnnxGenerator generator = OnnxGenerator.load(auto, onnx, SHAPE, TestModels.NOISE_DIM)) {
            assertThat(generator.generate(Noise.gaussian(1, 3, TestModels.NOISE_DIM), 3)).hasSize(3 * 784);
        }
    }

    @Test
    void randomBytesAreRefusedWithAClearMessage() {
        byte[] garbage = new byte[4096];
        new Random(5).nextBytes(garbage);

        assertThatThrownBy(() -> OnnxGenerator.load(ort, garbage, SHAPE, TestModels.NOISE_DIM))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("ONNX Runtime refused the model");
    }

    @Test
    void aModelWhoseOutputDisagreesWithTheManifestShapeIsRefused() {
        assertThatThrownBy(() -> OnnxGenerator.load(ort, onnx, new ImageShape(64, 64, 3), TestModels.NOISE_DIM))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("[2, 3, 64, 64]");
    }

    @Test
    void aModelWhoseNoiseWidthDisagreesWithTheManifestIsRefused() {
        assertThatThrownBy(() -> OnnxGenerator.load(ort, onnx, SHAPE, 64))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("noise");
    }

    @Test
    void aClosedGeneratorRefusesToRun() {
        OnnxGenerator generator = OnnxGenerator.load(ort, onnx, SHAPE, TestModels.NOISE_DIM);
        generator.close();
        generator.close();

        assertThat(generator.isClosed()).isTrue();
        assertThatThrownBy(() -> generator.generate(Noise.gaussian(1, 1, 100), 1)).isInstanceOf(IllegalStateException.class);
    }
}
