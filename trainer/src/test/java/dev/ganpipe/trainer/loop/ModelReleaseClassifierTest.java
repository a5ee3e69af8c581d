package dev.ganpipe.trainer.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.ganpipe.common.image.Hashes;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.model.ModelManifest;
import dev.ganpipe.common.model.Noise;
import dev.ganpipe.common.model.onnx.GeneratorForward;
import dev.ganpipe.common.model.onnx.GeneratorOutput;
import dev.ganpipe.common.model.onnx.GeneratorSignature;
import dev.ganpipe.common.model.onnx.GeneratorTensors;
import dev.ganpipe.common.model.onnx.OnnxProto;
import dev.ganpipe.trainer.gan.GanConfig;
import dev.ganpipe.trainer.gan.GanTrainingCore;
import dev.ganpipe.trainer.gan.StepResult;
import dev.ganpipe.trainer.publish.ModelSink;
import dev.ganpipe.trainer.quality.ConfidenceHead;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelReleaseClassifierTest {

    private static final GanConfig CONDITIONAL = GanConfig.dcgan28().withWidths(16, 16).withSeed(11).withClasses(3);

    /** A stand-in classifier: each image's mean pixel as its "confidence", so the test can compute it too. */
    private static final class MeanPixelHead implements ConfidenceHead {
        int askedClasses;

        @Override
        public Optional<byte[]> extension(int classes) {
            askedClasses = classes;
            return Optional.of(OnnxProto.graphExtension(
                    List.of(OnnxProto.node("ReduceMean", "mean", List.of(GeneratorTensors.IMAGE_OUTPUT), List.of(GeneratorTensors.CONFIDENCE_OUTPUT),
                            OnnxProto.intsAttr("axes", 1, 2, 3), OnnxProto.intAttr("keepdims", 0))),
                    List.of(),
                    List.of(OnnxProto.tensorValueInfo(GeneratorTensors.CONFIDENCE_OUTPUT, OnnxProto.FLOAT, List.of("N")))));
        }
    }

    private static final class LastModel implements ModelSink {
        byte[] onnx;
        ModelManifest last;

        @Override
        public ModelManifest publish(byte[] model, long step, String imageShape, int noiseDim, Map<String, Double> scores) {
            onnx = model;
            last = new ModelManifest("test", 1, Hashes.sha256(model), step, Instant.now(), imageShape, noiseDim, scores);
            return last;
        }

        @Override
        public long version() {
            return last == null ? 0 : 1;
        }

        @Override
        public ModelManifest last() {
            return last;
        }
    }

    @Test
    void aConditionalGeneratorIsPublishedWithItsClassifierInTheSameSignedBytes() throws Exception {
        LastModel sink = new LastModel();
        MeanPixelHead head = new MeanPixelHead();
        ModelRelease release = new ModelRelease(sink, Optional.empty(), Optional.of(head),
                new TrainerMetrics(new SimpleMeterRegistry(), () -> 0, () -> 0),
                new Schedule(1, Duration.ofHours(1), 1000, 0), ImageShape.FASHION_MNIST, java.util.List.of(), Clock.systemUTC());
        try (GanTrainingCore core = new GanTrainingCore(CONDITIONAL)) {
            release.release(core, new StepResult(1, 0f, 0f, 0f, 0f, 0f));
        }
        assertThat(head.askedClasses).isEqualTo(3);
        assertThat(sink.last.sha256()).isEqualTo(Hashes.sha256(sink.onnx));
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(sink.onnx, new OrtSession.SessionOptions())) {
            GeneratorSignature signature = GeneratorSignature.read(session);
            assertThat(signature.hasConfidence()).isTrue();
            int count = 4;
            GeneratorOutput out = GeneratorForward.forward(env, session, Noise.gaussian(3, count, signature.noiseDim()),
                    new long[] {0, 1, 2, 0}, count, signature.noiseDim(), ImageShape.FASHION_MNIST, true);
            int values = ImageShape.FASHION_MNIST.values();
            for (int i = 0; i < count; i++) {
                double sum = 0;
                for (int v = 0; v < values; v++) {
                    sum += out.images()[i * values + v];
                }
                assertThat((double) out.confidences()[i]).isCloseTo(sum / values, within(1e-4));
            }
        }
    }
}
