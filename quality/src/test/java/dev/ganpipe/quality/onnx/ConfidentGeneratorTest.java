package dev.ganpipe.quality.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.model.ConfidenceFilter;
import dev.ganpipe.common.model.ModelMetadata;
import dev.ganpipe.common.model.Noise;
import dev.ganpipe.common.model.onnx.OnnxProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfidentGeneratorTest {

    private static final ImageShape SHAPE = new ImageShape(6, 4, 1);
    private static final int NZ = SHAPE.values();
    private static final int CLASSES = 3;

    @TempDir
    Path dir;

    /**
     * A conditional "generator" whose image is its noise reshaped and whose shipped confidence is sigmoid of the
     * noise's first value, so the test knows which images pass a threshold: those whose first pixel is at least
     * logit(threshold).
     */
    private Path scoredModel() throws IOException {
        List<byte[]> nodes = List.of(
                OnnxProto.node("Reshape", "reshape", List.of("z", "target_shape"), List.of("image")),
                OnnxProto.node("Gather", "first_value", List.of("z", "first"), List.of("first_value"), OnnxProto.intAttr("axis", 1)),
                OnnxProto.node("Sigmoid", "confidence", List.of("first_value"), List.of("label_confidence")),
                OnnxProto.node("Identity", "keep_label", List.of("label"), List.of("label_copy")));
        List<byte[]> initializers = List.of(
                OnnxProto.int64Tensor("target_shape", new long[] {4}, new long[] {-1, SHAPE.channels(), SHAPE.height(), SHAPE.width()}),
                OnnxProto.int64Tensor("first", new long[] {}, new long[] {0}));
        byte[] graph = OnnxProto.graph("scored_generator", nodes, initializers,
                List.of(OnnxProto.tensorValueInfo("z", OnnxProto.FLOAT, List.of("N", (long) NZ)),
                        OnnxProto.tensorValueInfo("label", OnnxProto.INT64, List.of("N"))),
                List.of(OnnxProto.tensorValueInfo("image", OnnxProto.FLOAT,
                                List.of("N", (long) SHAPE.channels(), (long) SHAPE.height(), (long) SHAPE.width())),
                        OnnxProto.tensorValueInfo("label_confidence", OnnxProto.FLOAT, List.of("N")),
                        OnnxProto.tensorValueInfo("label_copy", OnnxProto.INT64, List.of("N"))));
        Path file = dir.resolve("scored.onnx");
        Files.write(file, OnnxProto.model(8, 17, "quality-test", "", graph,
                new TreeMap<>(Map.of(ModelMetadata.NUM_CLASSES, Integer.toString(CLASSES)))));
        return file;
    }

    @Test
    void keepsOnlyConfidentImagesAndReplacesTheRestFromFreshNoise() throws IOException {
        int count = 300;
        float[] z = Noise.gaussian(7, count, NZ);
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % CLASSES;
        }
        try (OnnxModelGenerator model = OnnxModelGenerator.load(scoredModel())) {
            ConfidentGenerator filtered = new ConfidentGenerator(model, 0.5, 11);
            float[] images = filtered.generate(z, labels, count);

            int unchanged = 0;
            for (int i = 0; i < count; i++) {
                float first = images[i * NZ];
                assertThat(first).as("image %d passed sigmoid(first value) >= 0.5", i).isGreaterThanOrEqualTo(0f);
                if (z[i * NZ] >= 0) {
                    // A confident first candidate is kept as it is, in its slot.
                    for (int v = 0; v < NZ; v++) {
                        assertThat(images[i * NZ + v]).isEqualTo(z[i * NZ + v]);
                    }
                    unchanged++;
                }
            }
            assertThat(unchanged).as("about half the noise passes at once").isBetween(120, 180);
            ConfidentGenerator.Acceptance acceptance = filtered.acceptance();
            assertThat(acceptance.share()).as("half of all candidates pass").isCloseTo(0.5, within(0.08));
            assertThat(acceptance.perClass()).containsOnlyKeys(0, 1, 2);
            assertThat(acceptance.perClass().values()).allSatisfy(c -> assertThat(c[1]).isEqualTo(count / CLASSES));
            assertThat(acceptance.describe(List.of("a", "b", "c"))).startsWith("label confidence >= 0.5 kept ").contains("(a ", ", c ");
            assertThat(filtered.description()).isEqualTo("scored.onnx, images kept at label confidence >= 0.5");
        }
    }

    @Test
    void stopsAtTheServicesBoundWithASentenceSayingWhatToDo() throws IOException {
        float[] z = Noise.gaussian(3, 4, NZ);
        try (OnnxModelGenerator model = OnnxModelGenerator.load(scoredModel())) {
            // sigmoid(first value) >= 0.99999 needs a standard normal draw above 11.5: never.
            ConfidentGenerator filtered = new ConfidentGenerator(model, 0.99999, 1);
            assertThatThrownBy(() -> filtered.generate(z, new int[] {2, 2, 2, 2}, 4))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Only 0 of the " + 4 * ConfidenceFilter.MAX_CANDIDATES_PER_IMAGE + " candidate images of class 2")
                    .hasMessageContaining("lower --min-confidence");
            assertThat(filtered.acceptance().perClass().get(2)).containsExactly(4L * ConfidenceFilter.MAX_CANDIDATES_PER_IMAGE, 0L);
        }
    }

    @Test
    void refusesModelsWithoutAShippedClassifierAndThresholdsOutsideZeroToOne() throws IOException {
        Path unconditional = dir.resolve("plain.onnx");
        Files.write(unconditional, TinyOnnx.linearTanh(SHAPE, 5, new float[5 * NZ], new float[NZ], true, Map.of()));
        try (OnnxModelGenerator model = OnnxModelGenerator.load(unconditional)) {
            assertThatThrownBy(() -> new ConfidentGenerator(model, 0.9, 0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is unconditional")
                    .hasMessageContaining("--quality-data");
        }
        try (OnnxModelGenerator model = OnnxModelGenerator.load(scoredModel())) {
            assertThatThrownBy(() -> new ConfidentGenerator(model, 1.0, 0)).hasMessageContaining("from 0 to below 1");
        }
    }
}
