package dev.ganpipe.bench.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.model.Noise;
import dev.ganpipe.generator.onnx.OnnxGenerator;
import dev.ganpipe.generator.onnx.OrtSessionFactory;
import dev.ganpipe.generator.onnx.OrtSettings;
import dev.ganpipe.trainer.TrainerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model the generator bench makes when it is given none. */
class FreshGeneratorTest {

    @Test
    void theMadeModelIsTheTrainersDefaultGeneratorAndOnnxRuntimeRunsIt(@TempDir Path folder) throws IOException {
        FreshGenerator.Made made = FreshGenerator.export(folder);

        assertThat(made.file()).isEqualTo(folder.resolve(FreshGenerator.FILE_NAME)).isRegularFile();
        byte[] onnx = Files.readAllBytes(made.file());
        OrtSessionFactory ort = new OrtSessionFactory(new OrtSettings(OrtSettings.Provider.CPU, 1, OrtSettings.parseOptimization("all"), OrtSettings.SpinWait.OFF));
        OnnxGenerator.Signature signature = OnnxGenerator.inspect(ort, onnx);
        // The trainer decides its shape from the data by default; the bench's model is what it trains on 28x28 gray images.
        TrainerConfig defaults = TrainerConfig.of("--image-shape", "28x28x1");
        assertThat(signature.shape()).isEqualTo(defaults.shape()).isEqualTo(new ImageShape(28, 28, 1));
        assertThat(signature.noiseDim()).isEqualTo(defaults.gan().noiseDim());
        try (OnnxGenerator generator = OnnxGenerator.load(ort, onnx, signature.shape(), signature.noiseDim())) {
            assertThat(generator.conditional()).isFalse();
            float[] images = generator.generate(Noise.gaussian(7, 2, signature.noiseDim()), 2);
            assertThat(images).hasSize(2 * 28 * 28);
            for (float v : images) {
                assertThat(v).isBetween(-1f, 1f); // the generator ends in tanh
            }
        }
        assertThat(made.description()).contains("freshly initialised").contains("28x28x1");
    }
}
