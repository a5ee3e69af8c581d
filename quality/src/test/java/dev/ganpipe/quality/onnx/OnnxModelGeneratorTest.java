package dev.ganpipe.quality.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.model.ModelMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxModelGeneratorTest {

    private static final ImageShape SHAPE = new ImageShape(6, 4, 1);
    private static final int NZ = 5;

    @TempDir
    Path dir;

    @Test
    void runsAModelFileAndComputesWhatTheGraphSays() throws IOException {
        Random random = new Random(1);
        float[] w = gaussians(random, NZ * SHAPE.values());
        float[] b = gaussians(random, SHAPE.values());
        Path file = write("g.onnx", TinyOnnx.linearTanh(SHAPE, NZ, w, b, true, Map.of(ModelMetadata.STEP, "42")));
        float[] z = gaussians(random, 3 * NZ);

        try (OnnxModelGenerator generator = OnnxModelGenerator.load(file)) {
            assertThat(generator.shape()).isEqualTo(SHAPE);
            assertThat(generator.noiseDim()).isEqualTo(NZ);
            assertThat(generator.conditional()).isFalse();
            assertThat(generator.description()).isEqualTo("g.onnx (step 42)");
            float[] images = generator.generate(z, 3);
            assertThat(images).hasSize(3 * SHAPE.values());
            for (int n = 0; n < 3; n++) {
                for (int j = 0; j < SHAPE.values(); j++) {
                    double sum = b[j];
                    for (int k = 0; k < NZ; k++) {
                        sum += z[n * NZ + k] * w[k * SHAPE.values() + j];
                    }
                    assertThat((double) images[n * SHAPE.values() + j]).isCloseTo(Math.tanh(sum), within(1e-5));
                }
            }
        }
    }

    @Test
    void takesTheImageShapeFromMetadataWhenTheOutputLeavesItOpen() throws IOException {
        Path file = write("open.onnx", TinyOnnx.linearTanh(SHAPE, NZ, new float[NZ * SHAPE.values()], new float[SHAPE.values()], false,
                Map.of(ModelMetadata.IMAGE_SHAPE, "6x4x1")));

        try (OnnxModelGenerator generator = OnnxModelGenerator.load(file)) {
            assertThat(generator.shape()).isEqualTo(SHAPE);
        }
    }

    @Test
    void explainsAModelWithoutAnyShape() throws IOException {
        Path file = write("bare.onnx", TinyOnnx.linearTanh(SHAPE, NZ, new float[NZ * SHAPE.values()], new float[SHAPE.values()], false, Map.of()));

        assertThatThrownBy(() -> OnnxModelGenerator.load(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(ModelMetadata.IMAGE_SHAPE);
    }

    @Test
    void explainsAFileThatIsNoModel() throws IOException {
        Path file = write("junk.onnx", "not a model".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

        assertThatThrownBy(() -> OnnxModelGenerator.load(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a model ONNX Runtime can load");
        assertThatThrownBy(() -> OnnxModelGenerator.load(dir.resolve("missing.onnx"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("There is no model file");
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    static float[] gaussians(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (0.3 * random.nextGaussian());
        }
        return v;
    }
}
