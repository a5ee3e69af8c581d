package dev.ganpipe.trainer.gan;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.nn.Parameter;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.ganpipe.trainer.onnx.GeneratorOnnxExporter;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The exported generator computes what DJL's inference forward computes. */
class GeneratorOnnxParityTest {

    private static final double TOLERANCE = 1e-4;

    static Stream<Arguments> layouts() {
        return Stream.of(
                Arguments.of("dcgan28 (default widths)", GanConfig.dcgan28(), 16),
                Arguments.of("dcgan64 (widths 16)", GanConfig.dcgan64().withWidths(16, 16), 4));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void onnxRuntimeMatchesDjlAfterTraining(String name, GanConfig config, int trainBatch) throws OrtException {
        try (GanTrainingCore core = new GanTrainingCore(config)) {
            Random data = new Random(8);
            for (int i = 0; i < 4; i++) {
                core.trainStep(SyntheticImages.squares(data, trainBatch, config.channels(), config.imageSize()), trainBatch);
            }
            assertRunningStatisticsMoved(core);
            byte[] model = core.exportGeneratorOnnx(Map.of("step", Long.toString(core.step()), "model_version", "3"));

            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions())) {
                assertDeclaredSignature(session, config);
                assertThat(session.getMetadata().getCustomMetadata()).containsEntry("step", "4").containsEntry("model_version", "3");
                for (int batch : new int[] {1, 7}) {
                    float[] noise = core.noise(100 + batch, batch);
                    float[] djl = core.generate(noise, batch);
                    float[] ort = run(env, session, noise, batch, config.noiseDim());
                    assertThat(ort).hasSameSizeAs(djl);
                    double maxDiff = 0;
                    for (int i = 0; i < djl.length; i++) {
                        maxDiff = Math.max(maxDiff, Math.abs(djl[i] - ort[i]));
                    }
                    assertThat(maxDiff).as("max |DJL - ORT| for batch %d", batch).isLessThanOrEqualTo(TOLERANCE);
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
        assertThat(inputs).containsOnlyKeys(GeneratorOnnxExporter.INPUT_NAME);
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

    private static float[] run(OrtEnvironment env, OrtSession session, float[] noise, int batch, int noiseDim)
            throws OrtException {
        try (OnnxTensor z = OnnxTensor.createTensor(env, FloatBuffer.wrap(noise), new long[] {batch, noiseDim});
                OrtSession.Result result = session.run(Map.of("z", z))) {
            return ((OnnxTensor) result.get("image").orElseThrow()).getFloatBuffer().array();
        }
    }
}
