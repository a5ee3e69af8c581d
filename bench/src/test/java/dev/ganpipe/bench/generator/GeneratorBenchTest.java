package dev.ganpipe.bench.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ganpipe.bench.PrintedRun;
import dev.ganpipe.trainer.gan.GanConfig;
import dev.ganpipe.trainer.gan.GanTrainingCore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's command line and output format (never its figures: tests do not judge speed). */
class GeneratorBenchTest {

    private final PrintedRun bench = new PrintedRun(GeneratorBench::run);

    @Test
    void withoutAModelItSaysWhereItLookedAndHowToGetOne(@TempDir Path empty) {
        assertThat(bench.run("--models-dir", empty.toString())).isEqualTo(GeneratorBench.EXIT_USAGE);

        assertThat(bench.log()).contains(empty.toString()).contains("--model PATH").contains("./gan demo")
                .contains("leave --models-dir out");
    }

    @Test
    void withNeitherModelNorModelsDirItMeasuresTheTrainersDefaultGeneratorAndLeavesNoFileBehind() {
        int exit = bench.run("--seconds", "1", "--warmup", "0", "--rounds", "1", "--clients", "4", "--load", "java", "--batch", "8");

        String printed = bench.out();
        assertThat(exit).as(bench.log()).isZero();
        assertThat(printed).contains(FreshGenerator.FILE_NAME + " (28x28x1, noise 100)")
                .contains("made by the bench: the trainer's default generator (28x28x1, noise 100, width 64)")
                .contains("raw ONNX Runtime loop, batch 8").contains("HTTP count=1 format=png, 4 clients");
        assertThat(printed.strip().lines().toList().getLast()).matches("ratio concurrent1_vs_raw_ort [0-9]+\\.[0-9]+");
        String modelLine = printed.lines().filter(l -> l.startsWith("model: ")).findFirst().orElseThrow();
        Path made = Path.of(modelLine.substring("model: ".length(), modelLine.indexOf(" (")));
        assertThat(made.getFileName()).hasToString(FreshGenerator.FILE_NAME);
        assertThat(made).doesNotExist();
        assertThat(made.getParent()).doesNotExist();
    }

    @Test
    void aModelPathThatIsNotAFileIsAUsageErrorThatSaysWhatToPass(@TempDir Path dir) {
        assertThat(bench.run("--model", dir.resolve("missing.onnx").toString())).isEqualTo(GeneratorBench.EXIT_USAGE);

        assertThat(bench.log()).contains("missing.onnx is not a file").contains("leave --model out");
    }

    @Test
    void helpListsTheOptions() {
        assertThat(bench.run("--help")).isZero();

        assertThat(bench.out()).contains("--model").contains("--seconds").contains("--clients");
    }

    @Test
    void aShortRunOnTheNewestModelInTheDirectoryPrintsTheTableTheMachineAndEndsWithTheTwoRatioLines(@TempDir Path models)
            throws IOException {
        Files.write(models.resolve("old.onnx"), new byte[] {1, 2, 3});
        Path newest = models.resolve("fashion-dcgan28-v9.onnx");
        Files.write(newest, trainedGenerator());
        Files.setLastModifiedTime(models.resolve("old.onnx"), java.nio.file.attribute.FileTime.fromMillis(0));

        int exit = bench.run("--models-dir", models.toString(), "--seconds", "1", "--warmup", "0", "--rounds", "1", "--clients", "4",
                "--load", "java", "--batch", "8");

        String printed = bench.out();
        assertThat(exit).as(bench.log()).isZero();
        assertThat(printed).contains("fashion-dcgan28-v9.onnx").contains("machine: ").contains("cores")
                .contains("raw ONNX Runtime loop, batch 8").contains("HTTP count=8 format=grid").contains("HTTP count=1 format=png, 4 clients");
        List<String> lines = printed.strip().lines().toList();
        assertThat(lines.get(lines.size() - 4)).matches("ratio http64_jdk_vs_raw_ort [0-9]+\\.[0-9]+");
        assertThat(lines.get(lines.size() - 3)).matches("ratio concurrent1_jdk_vs_raw_ort [0-9]+\\.[0-9]+");
        assertThat(lines.get(lines.size() - 2)).matches("ratio http64_vs_raw_ort [0-9]+\\.[0-9]+");
        assertThat(lines.getLast()).matches("ratio concurrent1_vs_raw_ort [0-9]+\\.[0-9]+");
    }

    /**
     * A real generator, as the generator service's tests use: a DCGAN trained for two steps on random images and
     * exported by the trainer itself (the service's TestModels lives in its test classes, out of this module's reach).
     */
    private static byte[] trainedGenerator() {
        GanConfig config = GanConfig.dcgan28().withSeed(1);
        int batch = 8;
        try (GanTrainingCore core = new GanTrainingCore(config)) {
            Random random = new Random(1);
            float[] real = new float[batch * config.imageElements()];
            for (int step = 0; step < 2; step++) {
                for (int i = 0; i < real.length; i++) {
                    real[i] = random.nextFloat() * 2f - 1f;
                }
                core.trainStep(real, null, batch);
            }
            return core.exportGeneratorOnnx(Map.of("step", Long.toString(core.step()), "dataset", "random-noise-test"));
        }
    }
}
