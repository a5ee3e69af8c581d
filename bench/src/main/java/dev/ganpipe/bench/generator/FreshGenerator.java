package dev.ganpipe.bench.generator;

import dev.ganpipe.trainer.TrainerConfig;
import dev.ganpipe.trainer.gan.GanConfig;
import dev.ganpipe.trainer.gan.GanTrainingCore;
import dev.ganpipe.trainer.loop.ModelRelease;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The model the generator bench measures when it is given none: the generator {@code ./gan trainer} trains with its
 * default options, freshly initialised and exported by the trainer's own exporter, with the metadata the trainer
 * writes. Throughput depends on the architecture, not on the weights, so this measures what a demo's model would,
 * on a fresh clone and the same on every run.
 */
final class FreshGenerator {

    static final String FILE_NAME = "fresh-default-generator.onnx";

    /**
     * A model made for the bench.
     *
     * @param file where it was written
     * @param description what it is, for the bench's output
     */
    record Made(Path file, String description) {
    }

    private FreshGenerator() {
    }

    /** Writes the trainer's default generator, freshly initialised, to {@value #FILE_NAME} in {@code folder}. */
    static Made export(Path folder) {
        // The trainer takes its shape from the data by default; the bench's model is the Fashion-MNIST-sized one.
        TrainerConfig defaults = TrainerConfig.of("--image-shape", "28x28x1");
        GanConfig gan = defaults.gan();
        Map<String, String> props = ModelRelease.metadata(gan, defaults.shape(), 0,
                "gan bench generator (the trainer's default generator, freshly initialised)");
        byte[] onnx;
        try (GanTrainingCore core = new GanTrainingCore(gan)) {
            onnx = core.exportGeneratorOnnx(props);
        }
        Path file = folder.resolve(FILE_NAME);
        try {
            Files.write(file, onnx);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the bench's model to " + file + " (" + e.getMessage()
                    + "); free space in the temporary folder, or pass a model with --model PATH.", e);
        }
        String description = String.format(Locale.ROOT, "made by the bench: the trainer's default generator (%s, noise %d, width %d%s), "
                        + "freshly initialised with seed %d and exported by the trainer's ONNX exporter",
                defaults.shape(), gan.noiseDim(), gan.generatorWidth(), gan.conditional() ? ", " + gan.classes() + " classes" : "",
                gan.seed());
        return new Made(file, description);
    }
}
