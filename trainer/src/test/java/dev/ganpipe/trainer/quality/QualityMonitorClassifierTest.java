package dev.ganpipe.trainer.quality;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.model.Noise;
import dev.ganpipe.common.model.onnx.GeneratorForward;
import dev.ganpipe.common.model.onnx.GeneratorOutput;
import dev.ganpipe.common.model.onnx.GeneratorSignature;
import dev.ganpipe.common.model.onnx.OnnxProto;
import dev.ganpipe.trainer.gan.GanConfig;
import dev.ganpipe.trainer.gan.GanTrainingCore;
import dev.ganpipe.trainer.loop.ModelRelease;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real DJL and ONNX Runtime: the evaluator's classifier, trained on the bundled sample, appended to a conditional export. */
class QualityMonitorClassifierTest {

    @TempDir
    Path dir;

    @Test
    void thePreparedClassifierOfTheGeneratorsClassesIsShippedAndRunsInOnnxRuntime() throws Exception {
        QualitySettings settings = new QualitySettings(Optional.of("sample:fashion-mnist"), Optional.empty(), 100, 100,
                Optional.empty(), dir.resolve("quality"), dir.resolve("classifiers"), 0, WeightsPolicy.AUTO);
        GanConfig conditional = GanConfig.dcgan28().withClasses(10).withWidths(16, 16).withSeed(3);
        try (QualityMonitor monitor = QualityMonitor.open(settings, ImageShape.FASHION_MNIST, Optional.empty(), scores -> { }, Clock.systemUTC());
                GanTrainingCore core = new GanTrainingCore(conditional)) {
            assertThat(monitor.extension(10)).as("nothing to ship before the classifier is prepared").isEmpty();
            monitor.prepare();
            assertThat(monitor.extension(0)).as("an unconditional generator ships none").isEmpty();
            assertThat(monitor.extension(3)).as("a classifier of other classes is not shipped").isEmpty();

            byte[] generator = core.exportGeneratorOnnx(ModelRelease.metadata(conditional, ImageShape.FASHION_MNIST, 1, "test"));
            byte[] shipped = OnnxProto.extend(generator, monitor.extension(10).orElseThrow());
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession session = env.createSession(shipped, new OrtSession.SessionOptions())) {
                GeneratorSignature signature = GeneratorSignature.read(session);
                assertThat(signature.hasConfidence()).isTrue();
                long[] labels = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
                GeneratorOutput out = GeneratorForward.forward(env, session, Noise.gaussian(1, labels.length, signature.noiseDim()), labels,
                        labels.length, signature.noiseDim(), ImageShape.FASHION_MNIST, true);
                assertThat(out.confidences()).hasSize(10);
                for (float c : out.confidences()) {
                    assertThat(c).isBetween(0f, 1f);
                }
            }
        }
    }
}
