package dev.ganpipe.trainer.gan;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.nn.Parameter;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.ganpipe.common.model.ModelMetadata;
import dev.ganpipe.trainer.onnx.GeneratorOnnxExporter;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exported generator computes what DJL's inference forward of the published generator computes: the moving
 * average of the generator's weights (EMA), with the live generator's BatchNorm running statistics.
 */
class GeneratorOnnxParityTest {

    private static final double TOLERANCE = 1e-4;

    static Stream<Arguments> layouts() {
        return Stream.of(
                Arguments.of("dcgan28 (default widths)", GanConfig.dcgan28(), 16),
                Arguments.of("dcgan64 (widths 16)", GanConfig.dcgan64().withWidths(16, 16), 4),
                Arguments.of("dcgan32 RGB (widths 16)", GanConfig.dcgan32().withWidths(16, 16), 8),
                Arguments.of("conditional gray dcgan32 (3 classes, widths 8)",
                        new GanConfig(32, 1, 100, 8, 8, 2e-4, 0.5, 0.999, 42, 0).withClasses(3), 8),
                Arguments.of("conditional dcgan28 (10 classes, widths 32)", GanConfig.dcgan28().withWidths(32, 32).withClasses(10), 16));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void onnxRuntimeMatchesDjlAfterTraining(String name, GanConfig config, int trainBatch) throws OrtException {
        try (GanTrainingCore core = new GanTrainingCore(config)) {
            // Start the average past its warm-up (decay 0.999 from the first step), so it lags the live generator
            // clearly and the test can tell which of the two the export holds.
            TrainingState initial = core.snapshot();
            core.restore(new TrainingState(0, initial.noise(), 0, 0, 1_000_000, initial.tensors()));
            Random data = new Random(8);
            for (int i = 0; i < 4; i++) {
                core.trainStep(SyntheticImages.squares(data, trainBatch, config.channels(), config.imageSize()),
                        labels(config, trainBatch, i), trainBatch);
            }
            assertRunningStatisticsMoved(core);
            byte[] model = core.exportGeneratorOnnx(Map.of(ModelMetadata.STEP, Long.toString(core.step()), "model_version", "3"));

            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions())) {
                assertDeclaredSignature(session, config);
                assertThat(session.getMetadata().getCustomMetadata()).containsEntry(ModelMetadata.STEP, "4").containsEntry("model_version", "3");
                for (int batch : new int[] {1, 7}) {
                    float[] noise = core.noise(100 + batch, batch);
                    long[] labels = labels(config, batch, 7);
                    float[] djl = core.generate(noise, labels, batch);
                    float[] ort = run(env, session, noise, labels, batch, config.noiseDim());
                    assertThat(ort).hasSameSizeAs(djl);
                    double maxDiff = 0;
                    for (int i = 0; i < djl.length; i++) {
                        maxDiff = Math.max(maxDiff, Math.abs(djl[i] - ort[i]));
                    }
                    assertThat(maxDiff).as("max |DJL - ORT| for batch %d", batch).isLessThanOrEqualTo(TOLERANCE);
                    // The export is the weight average, not the live generator: their outputs differ clearly.
                    float[] live = core.generateLive(noise, labels, batch);
                    double fromLive = 0;
                    for (int i = 0; i < live.length; i++) {
                        fromLive = Math.max(fromLive, Math.abs(live[i] - ort[i]));
                    }
                    System.out.printf("%s batch %d: max |EMA - ORT| %.2e, max |live - ORT| %.2e%n", name, batch, maxDiff, fromLive);
                    assertThat(fromLive).as("max |live generator - ORT| for batch %d", batch).isGreaterThan(10 * TOLERANCE);
                }
            }
        }
    }

    private static void assertRunningStatisticsMoved(GanTrainingCore core) {
        for (Parameter p : core.generatorBlock().getParameters().values()) {
            if (p.getType() == Parameter.Type.RUNNING_MEAN) {
                assertThat(p.getArray().abs().max().getFloat()).as(p.getName()).isGreaterThan(1e-3f);
            }
        }
    }

    private static void assertDeclaredSignature(OrtSession session, GanConfig config) throws OrtException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        if (config.conditional()) {
            assertThat(inputs).containsOnlyKeys(GeneratorOnnxExporter.INPUT_NAME, GeneratorOnnxExporter.LABEL_INPUT_NAME);
            TensorInfo label = (TensorInfo) inputs.get(GeneratorOnnxExporter.LABEL_INPUT_NAME).getInfo();
            assertThat(label.type).isEqualTo(ai.onnxruntime.OnnxJavaType.INT64);
            assertThat(label.getShape()).containsExactly(-1);
            assertThat(label.getDimensionNames()[0]).isEqualTo("N");
        } else {
            assertThat(inputs).containsOnlyKeys(GeneratorOnnxExporter.INPUT_NAME);
        }
        assertThat(outputs).containsOnlyKeys(GeneratorOnnxExporter.OUTPUT_NAME);
        TensorInfo z = (TensorInfo) inputs.get("z").getInfo();
        TensorInfo image = (TensorInfo) outputs.get("image").getInfo();
        assertThat(z.type).isEqualTo(ai.onnxruntime.OnnxJavaType.FLOAT);
        assertThat(image.type).isEqualTo(ai.onnxruntime.OnnxJavaType.FLOAT);
        assertThat(z.getShape()).containsExactly(-1, config.noiseDim());
        assertThat(image.getShape()).containsExactly(-1, config.channels(), config.imageSize(), config.imageSize());
        assertThat(z.getDimensionNames()[0]).isEqualTo("N");
        assertThat(image.getDimensionNames()[0]).isEqualTo("N");
    }

    private static float[] run(OrtEnvironment env, OrtSession session, float[] noise, long[] labels, int batch,
            int noiseDim) throws OrtException {
        try (OnnxTensor z = OnnxTensor.createTensor(env, FloatBuffer.wrap(noise), new long[] {batch, noiseDim});
                OnnxTensor label = labels == null ? null
                        : OnnxTensor.createTensor(env, LongBuffer.wrap(labels), new long[] {batch});
                OrtSession.Result result = session.run(label == null ? Map.of("z", z) : Map.of("z", z, "label", label))) {
            return ((OnnxTensor) result.get("image").orElseThrow()).getFloatBuffer().array();
        }
    }

    /** Labels 0, 1, 2 ... shifted by {@code offset}, for a conditional GAN; null for an unconditional one. */
    private static long[] labels(GanConfig config, int count, int offset) {
        if (!config.conditional()) {
            return null;
        }
        long[] labels = new long[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (i + offset) % config.classes();
        }
        return labels;
    }
}
