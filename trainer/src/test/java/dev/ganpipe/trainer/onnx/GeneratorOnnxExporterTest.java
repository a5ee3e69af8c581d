package dev.ganpipe.trainer.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.ganpipe.common.model.ModelMetadata;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Checks the exporter against ONNX Runtime and a plain-Java forward, without DJL. */
class GeneratorOnnxExporterTest {

    private static final int NZ = 3;

    @Test
    void aTinyGeneratorRunsInOnnxRuntimeExactlyAsAPlainJavaForward() throws OrtException {
        Random r = new Random(1);
        GeneratorLayer.Dense dense = new GeneratorLayer.Dense(NZ, 8, gaussians(r, 24), gaussians(r, 8));
        GeneratorLayer.BatchNorm bn = new GeneratorLayer.BatchNorm(
                2, new float[] {1.2f, 0.8f}, new float[] {0.1f, -0.2f}, new float[] {0.3f, -0.1f}, new float[] {0.5f, 2f}, 1e-5f);
        GeneratorLayer.Conv conv = new GeneratorLayer.Conv(2, 1, 3, 1, 1, gaussians(r, 18), new float[] {0.05f});
        GeneratorSpec spec = new GeneratorSpec(NZ, 1, 4, 4, List.of(
                dense,
                new GeneratorLayer.Reshape(new long[] {2, 2, 2}),
                bn,
                new GeneratorLayer.Relu(),
                new GeneratorLayer.NearestUpsample(2),
                conv,
                new GeneratorLayer.Tanh()));
        byte[] model = GeneratorOnnxExporter.export(spec, Map.of(ModelMetadata.STEP, "12", "dataset", "unit"));

        int batch = 5;
        float[] z = gaussians(r, batch * NZ);
        float[] onnx = run(model, z, batch);
        assertThat(onnx).hasSize(batch * 16);
        for (int n = 0; n < batch; n++) {
            float[] expected = reference(dense, bn, conv, java.util.Arrays.copyOfRange(z, n * NZ, (n + 1) * NZ));
            for (int i = 0; i < 16; i++) {
                assertThat(onnx[n * 16 + i]).as("sample %d, pixel %d", n, i).isCloseTo(expected[i], within(1e-5f));
            }
        }

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions())) {
            assertThat(session.getMetadata().getCustomMetadata()).containsExactlyInAnyOrderEntriesOf(
                    Map.of(ModelMetadata.STEP, "12", "dataset", "unit"));
            assertThat(session.getMetadata().getProducerName()).isEqualTo(GeneratorOnnxExporter.PRODUCER_NAME);
        }
    }

    @Test
    void theSameSpecGivesTheSameBytes() {
        GeneratorSpec spec = new GeneratorSpec(2, 1, 2, 2, List.of(
                new GeneratorLayer.Dense(2, 4, new float[8], null),
                new GeneratorLayer.Reshape(new long[] {1, 2, 2}),
                new GeneratorLayer.Tanh()));
        assertThat(GeneratorOnnxExporter.export(spec, Map.of("b", "2", "a", "1")))
                .containsExactly(GeneratorOnnxExporter.export(spec, new java.util.LinkedHashMap<>(Map.of("a", "1", "b", "2"))));
    }

    @Test
    void refusesLayersThatDoNotChainToTheDeclaredImage() {
        GeneratorSpec wrongSize = new GeneratorSpec(2, 1, 4, 4, List.of(
                new GeneratorLayer.Dense(2, 4, new float[8], null),
                new GeneratorLayer.Reshape(new long[] {1, 2, 2})));
        assertThatThrownBy(() -> GeneratorOnnxExporter.export(wrongSize, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("produce per-sample shape [1, 2, 2] but the spec declares [1, 4, 4]");
        GeneratorSpec wrongInput = new GeneratorSpec(3, 1, 2, 2, List.of(new GeneratorLayer.Dense(2, 4, new float[8], null)));
        assertThatThrownBy(() -> GeneratorOnnxExporter.export(wrongInput, Map.of()))
                .hasMessageContaining("Generator layer 0 (Dense) needs [2] but receives per-sample shape [3]");
        assertThatThrownBy(() -> new GeneratorLayer.Dense(2, 4, new float[7], null))
                .hasMessageContaining("Dense weight must hold 8 values, but holds 7");
    }

    // ---- plain-Java reference of the tiny generator ----

    private static float[] reference(GeneratorLayer.Dense dense, GeneratorLayer.BatchNorm bn, GeneratorLayer.Conv conv, float[] z) {
        float[] h = new float[8];
        for (int o = 0; o < 8; o++) {
            double s = dense.bias()[o];
            for (int i = 0; i < NZ; i++) {
                s += z[i] * dense.weight()[o * NZ + i];
            }
            h[o] = (float) s;
        }
        // h is [2, 2, 2]: batch norm per channel, then ReLU.
        for (int c = 0; c < 2; c++) {
            for (int p = 0; p < 4; p++) {
                int i = c * 4 + p;
                double v = (h[i] - bn.mean()[c]) / Math.sqrt(bn.variance()[c] + bn.epsilon()) * bn.gamma()[c] + bn.beta()[c];
                h[i] = (float) Math.max(v, 0);
            }
        }
        float[] up = new float[2 * 4 * 4];
        for (int c = 0; c < 2; c++) {
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 4; x++) {
                    up[c * 16 + y * 4 + x] = h[c * 4 + (y / 2) * 2 + x / 2];
                }
            }
        }
        float[] out = new float[16];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                double s = conv.bias()[0];
                for (int c = 0; c < 2; c++) {
                    for (int ky = 0; ky < 3; ky++) {
                        for (int kx = 0; kx < 3; kx++) {
                            int iy = y + ky - 1;
                            int ix = x + kx - 1;
                            if (iy >= 0 && iy < 4 && ix >= 0 && ix < 4) {
                                s += up[c * 16 + iy * 4 + ix] * conv.weight()[c * 9 + ky * 3 + kx];
                            }
                        }
                    }
                }
                out[y * 4 + x] = (float) Math.tanh(s);
            }
        }
        return out;
    }

    private static float[] run(byte[] model, float[] z, int batch) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions());
                OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(z), new long[] {batch, NZ});
                OrtSession.Result result = session.run(Map.of(GeneratorOnnxExporter.INPUT_NAME, input))) {
            OnnxTensor out = (OnnxTensor) result.get(GeneratorOnnxExporter.OUTPUT_NAME).orElseThrow();
            return out.getFloatBuffer().array();
        }
    }

    private static float[] gaussians(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
