package dev.ganpipe.generator.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.model.ModelMetadata;
import dev.ganpipe.common.model.Noise;
import dev.ganpipe.common.model.onnx.InvalidModelException;
import dev.ganpipe.generator.ConditionalTestModel;
import dev.ganpipe.generator.TestModels;
import java.util.Arrays;
import java.util.Map;
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
        OrtSessionFactory auto = new OrtSessionFactory(new OrtSettings(OrtSettings.Provider.AUTO, 0, OrtSettings.parseOptimization("all"), OrtSettings.SpinWait.OFF));

        assertThat(auto.provider()).isIn("CUDA", "CPU");
        try (OnnxGenerator generator = OnnxGenerator.load(auto, onnx, SHAPE, TestModels.NOISE_DIM)) {
            assertThat(generator.generate(Noise.gaussian(1, 3, TestModels.NOISE_DIM), 3)).hasSize(3 * 784);
        }
    }

    @Test
    void everySpinWaitSettingGivesTheSameImages() {
        float[] z = Noise.gaussian(12, 5, TestModels.NOISE_DIM);
        float[] reference;
        try (OnnxGenerator generator = OnnxGenerator.load(ort, onnx, SHAPE, TestModels.NOISE_DIM)) {
            reference = generator.generate(z, 5);
        }
        for (OrtSettings.SpinWait spin : OrtSettings.SpinWait.values()) {
            OrtSessionFactory factory = new OrtSessionFactory(OrtSettings.cpu().withSpinWait(spin));
            try (OnnxGenerator generator = OnnxGenerator.load(factory, onnx, SHAPE, TestModels.NOISE_DIM)) {
                assertThat(generator.generate(z, 5)).as("spin-wait %s", spin.optionValue()).containsExactly(reference);
            }
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
    void aConditionalGeneratorTakesOneLabelPerImageAndNamesItsClasses() {
        ImageShape shape = new ImageShape(ConditionalTestModel.SIZE, ConditionalTestModel.SIZE, 1);
        try (OnnxGenerator generator = OnnxGenerator.load(ort, ConditionalTestModel.onnx(), shape, ConditionalTestModel.NOISE_DIM)) {
            assertThat(generator.conditional()).isTrue();
            assertThat(generator.classNames()).containsExactly("circle", "square", "cross");
            float[] z = Noise.gaussian(1, 1, ConditionalTestModel.NOISE_DIM);
            float[] circle = generator.generate(z, new long[] {0}, 1);
            float[] cross = generator.generate(z, new long[] {2}, 1);

            assertThat(circle).hasSize(shape.values());
            assertThat(Arrays.equals(circle, cross)).as("the label changes the image").isFalse();
            assertThatThrownBy(() -> generator.generate(z, new long[] {3}, 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("3 classes");
            assertThatThrownBy(() -> generator.generate(z, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("labels");
        }
        assertThat(OnnxGenerator.inspect(ort, ConditionalTestModel.onnx()))
                .isEqualTo(new OnnxGenerator.Signature(ConditionalTestModel.NOISE_DIM, shape));
    }

    @Test
    void aConditionalGeneratorMayCountItsClassesInsteadOfNamingThemButMustSayOneOrTheOther() {
        ImageShape shape = new ImageShape(ConditionalTestModel.SIZE, ConditionalTestModel.SIZE, 1);
        try (OnnxGenerator counted = OnnxGenerator.load(ort, ConditionalTestModel.onnx(Map.of(ModelMetadata.NUM_CLASSES, "3")), shape,
                ConditionalTestModel.NOISE_DIM)) {
            assertThat(counted.classNames()).containsExactly("0", "1", "2");
        }
        assertThatThrownBy(() -> OnnxGenerator.load(ort, ConditionalTestModel.onnx(Map.of()), shape, ConditionalTestModel.NOISE_DIM))
                .isInstanceOf(InvalidModelException.class).hasMessageContaining(ModelMetadata.CLASS_NAMES).hasMessageContaining(ModelMetadata.NUM_CLASSES);
        assertThatThrownBy(() -> OnnxGenerator.load(ort, ConditionalTestModel.onnx(Map.of(ModelMetadata.NUM_CLASSES, "5")), shape,
                ConditionalTestModel.NOISE_DIM))
                .as("the load-time probe runs the last class the metadata claims, which the model does not have")
                .isInstanceOf(InvalidModelException.class);
    }

    @Test
    void anUnconditionalGeneratorRefusesLabels() {
        try (OnnxGenerator generator = OnnxGenerator.load(ort, onnx, SHAPE, TestModels.NOISE_DIM)) {
            assertThat(generator.conditional()).isFalse();
            assertThat(generator.classNames()).isEmpty();
            assertThatThrownBy(() -> generator.generate(Noise.gaussian(1, 1, 100), new long[] {0}, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unconditional");
        }
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
