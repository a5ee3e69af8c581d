package dev.ganpipe.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ganpipe.bench.PrintedRun;
import dev.ganpipe.common.Json;
import dev.ganpipe.common.config.ConfigException;
import dev.ganpipe.common.config.ConfigValues;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.images.source.SampleData;
import dev.ganpipe.quality.QualityMetrics;
import dev.ganpipe.quality.data.RealData;
import dev.ganpipe.quality.metrics.ClassCoverage;
import dev.ganpipe.quality.onnx.OnnxModelGenerator;
import dev.ganpipe.trainer.data.DecodedImage;
import dev.ganpipe.trainer.data.FreshImages;
import dev.ganpipe.trainer.gan.GanConfig;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EqualTimeStudyTest {

    @Test
    void minutesSelectTheEqualTimeModeWithOursOnLabelsAndThePlainPyTorchScriptByDefault() {
        StudyConfig config = StudyConfig.from(ConfigValues.parse(StudyConfig.spec(), "--minutes", "12"));
        assertThat(config.equalTime()).isTrue();
        assertThat(config.equalSteps()).isFalse();
        assertThat(config.minutes()).isEqualTo(12.0);
        assertThat(config.measureEveryMinutes()).isEqualTo(1.0);
        assertThat(config.fidThreshold()).isEqualTo(70.0);
        assertThat(config.recipes()).containsExactly(Recipe.PIPELINE_CONDITIONAL, Recipe.PYTORCH_SEED);
        assertThat(config.timedThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());

        StudyConfig small = StudyConfig.from(ConfigValues.parse(StudyConfig.spec(), "--minutes", "0.1", "--measure-every-minutes", "0.05",
                "--fid-threshold", "60", "--recipes", "pipeline", "--threads", "1", "--usable-images", "2000"));
        assertThat(small.minutes()).isEqualTo(0.1);
        assertThat(small.recipes()).containsExactly(Recipe.PIPELINE);
        assertThat(small.timedThreads()).isEqualTo(1);
        assertThat(small.usableImages()).isEqualTo(2000);
        assertThat(StudyConfig.from(ConfigValues.parse(StudyConfig.spec())).equalTime()).isFalse();
        assertThat(StudyConfig.from(ConfigValues.parse(StudyConfig.spec())).steps()).isEqualTo(StudyConfig.DEFAULT_STEPS);
    }

    @Test
    void minutesAreRefusedBesideStepsOrMeasuringPointsAndWhenTheyCannotBeMeasured() {
        assertThatThrownBy(() -> parse("--minutes", "12", "--at", "1000,3000"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--minutes").hasMessageContaining("--at").hasMessageContaining("one of them");
        assertThatThrownBy(() -> parse("--minutes", "12", "--steps", "500"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("leave --steps out with --minutes");
        assertThatThrownBy(() -> parse("--at", "1000", "--steps", "2000"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--at ends at 1000");
        assertThatThrownBy(() -> parse("--minutes", "0")).isInstanceOf(ConfigException.class).hasMessageContaining("above 0");
        assertThatThrownBy(() -> parse("--minutes", "-1")).isInstanceOf(ConfigException.class).hasMessageContaining("--minutes");
        assertThatThrownBy(() -> parse("--minutes", "NaN")).isInstanceOf(ConfigException.class).hasMessageContaining("--minutes");
        assertThatThrownBy(() -> parse("--minutes", "1", "--measure-every-minutes", "2"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("longer than --minutes");
        assertThatThrownBy(() -> parse("--minutes", "12", "--measure-every-minutes", "0"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--measure-every-minutes");
        assertThatThrownBy(() -> parse("--minutes", "12", "--fid-threshold", "-5"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--fid-threshold");
        assertThatThrownBy(() -> parse("--minutes", "12", "--seed", "42,7"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("once per seed");
        assertThatThrownBy(() -> parse("--minutes", "twelve")).isInstanceOf(ConfigException.class).hasMessageContaining("--minutes");
    }

    @Test
    void theEqualTimeModeTrainsRgbImagesWithTheNetworksOfTheirSize() {
        StudyConfig rgb = parse("--minutes", "12", "--image-shape", "64x64x3");
        assertThat(rgb.imageShape()).isEqualTo(new ImageShape(64, 64, 3));
        assertThat(rgb.network().imageSize()).isEqualTo(64);
        assertThat(rgb.network().channels()).isEqualTo(3);
        assertThat(rgb.network().generatorWidth()).isEqualTo(GanConfig.autoWidth(64, Runtime.getRuntime().availableProcessors()));
        assertThat(rgb.arch()).isEqualTo("dcgan64");
        assertThat(parse("--minutes", "12").network()).isEqualTo(GanConfig.dcgan28());
        assertThat(parse("--minutes", "12").arch()).isEqualTo("dcgan28");
        assertThatThrownBy(() -> parse("--at", "1000", "--image-shape", "64x64x3"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("needs the equal-time mode (--minutes)");
        assertThatThrownBy(() -> parse("--minutes", "12", "--image-shape", "48x48x3"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("64x64x3");
        assertThatThrownBy(() -> parse("--minutes", "12", "--image-shape", "large"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("WIDTHxHEIGHTxCHANNELS");
    }

    @Test
    void aRecipeIsMeasuredEveryIntervalAndOnceAtTheEnd() {
        assertThat(EqualTimeStudy.measuringMinutes(12, 1)).hasSize(12).startsWith(1.0).endsWith(12.0);
        assertThat(EqualTimeStudy.measuringMinutes(0.05, 0.025)).containsExactly(0.025, 0.05);
        List<Double> uneven = EqualTimeStudy.measuringMinutes(1, 0.3);
        assertThat(uneven).hasSize(4);
        assertThat(uneven.get(2)).isCloseTo(0.9, within(1e-12));
        assertThat(uneven.get(3)).isEqualTo(1.0);
        assertThat(EqualTimeStudy.measuringMinutes(2, 2)).containsExactly(2.0);
    }

    @Test
    void theTableGivesTimeToQualityAndTheRatioLinesCompareEachTrainerRecipeWithThePyTorchSeedRecipe() {
        TimedRun conditional = run(Recipe.PIPELINE_CONDITIONAL, 900, 30, 90, 65, 50);
        TimedRun pipeline = run(Recipe.PIPELINE, 930, 40, 80, 75, 72);
        TimedRun pytorch = run(Recipe.PYTORCH_SEED, 600, 50, 95, 80, 68);
        List<TimedRun> runs = List.of(conditional, pipeline, pytorch);

        assertThat(EqualTimeTable.ratioLines(runs, 3, 70)).containsExactly(
                "ratio fid_pipeline_conditional_vs_pytorch_seed_at_3min 0.600",
                "ratio minutes_to_fid70_pipeline_conditional_vs_pytorch_seed 0.667",
                "ratio fid_pipeline_vs_pytorch_seed_at_3min 0.800");
        assertThat(EqualTimeTable.ratioLines(runs, 0.05, 62.5)).containsExactly(
                "ratio fid_pipeline_conditional_vs_pytorch_seed_at_0.05min 0.600",
                "ratio fid_pipeline_vs_pytorch_seed_at_0.05min 0.800");
        assertThat(EqualTimeTable.ratioLines(List.of(conditional, pipeline), 3, 70)).isEmpty();

        List<String> table = EqualTimeTable.markdown(runs, 3, 70, metrics(0.5)).lines().toList();
        assertThat(table.get(0)).isEqualTo("| recipe | steps in 3 min | steps/s | FID | KID ± std | precision | recall | minutes to FID_1000 ≤ 70 |");
        assertThat(table.get(2)).isEqualTo("| trainer as the pipeline runs it, conditional | 900 | 5.00 | 30.00 | 0.010 ± 0.001 | 0.800 | 0.700 | 2.00 |");
        assertThat(table.get(3)).endsWith("| 930 | 5.17 | 40.00 | 0.010 ± 0.001 | 0.800 | 0.700 | not reached in 3 min |");
        assertThat(table.get(4)).startsWith("| PyTorch seed recipe | 600 | 3.33 | 50.00 |").endsWith("| 3.00 |");

        List<String> curve = EqualTimeTable.curve(runs).lines().toList();
        assertThat(curve).hasSize(2 + 9);
        assertThat(curve.get(2)).isEqualTo("| pipeline-conditional | 1.00 | 300 | 90.00 |");
        assertThat(curve.get(10)).isEqualTo("| pytorch-seed | 3.00 | 600 | 68.00 |");

        StudyTable.Context context = new StudyTable.Context("t", "2 cores", "1 1 1", "2 2 2", "data", 2000, 64, 2, 0.91, 10000);
        String json = EqualTimeTable.json(context, runs, 3, 1, 70, null);
        assertThat(json).contains("\"minutes_to_threshold\" : 2.0").contains("\"minutes_to_threshold\" : null")
                .contains("ratio minutes_to_fid70_pipeline_conditional_vs_pytorch_seed 0.667").doesNotContain("NaN");
        assertThat(EqualTimeTable.document(context, runs, 3, 1, 70, null)).contains("for 3 minutes of training wall time")
                .contains("(samples/pytorch-seed.png)").contains("ratio fid_pipeline_vs_pytorch_seed_at_3min 0.800");
    }

    @Test
    void theTimedOrderIsWholeEpochsThatStartAgainInsteadOfRunningDry() throws InterruptedException {
        byte[] pixels = new byte[10 * 28 * 28];
        for (int i = 0; i < 10; i++) {
            pixels[i * 28 * 28] = (byte) i; // each image says which one it is
        }
        RealData train = RealData.of("ten", ImageShape.FASHION_MNIST, pixels, IntStream.range(0, 10).toArray(),
                IntStream.range(0, 10).mapToObj(Integer::toString).toList());
        // 0.3 s at the bound of 50 steps/s is 15 steps of 2 images: 30 indices, three epochs of 10
        StudyData data = StudyData.forTime(train, 10, 0.3, 2, 1);
        int[] order = data.order();
        assertThat(order).hasSize(30);
        assertThat(Arrays.stream(order, 20, 30).sorted().toArray()).isEqualTo(IntStream.range(0, 10).toArray());

        FreshImages source = data.source();
        List<DecodedImage> read = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            assertThat(source.drainTo(read, 10, Duration.ZERO)).isEqualTo(10);
        }
        assertThat(read.subList(30, 60).stream().mapToInt(d -> d.pixels()[0]).toArray()).isEqualTo(order);
        assertThat(source.lag()).isEqualTo(20);
        // the pipeline's stream still ends after one pass: after it, the trainer trains on its replay buffer
        assertThat(data.streamedOnce().drainTo(new ArrayList<>(), 100, Duration.ZERO)).isEqualTo(10);
    }

    @Test
    void aShortEqualTimeRunOnTheSampleWritesACurveAndFiniteFigures(@TempDir Path dir) throws IOException, InterruptedException {
        boolean torch = torchInstalled();
        // The trainer's clock makes every step take 1.5 s, so its measuring points (every 1.5 s of the 6) fall on steps 1
        // to 4 however loaded the machine is; the training and the measurements are real. The PyTorch child keeps its own
        // clock: 6 real seconds.
        AtomicLong nanos = new AtomicLong();
        PrintedRun study = new PrintedRun((args, env, o, l) -> QualityStudy.run(args, env, o, l, () -> nanos.addAndGet(1_500_000_000L)));
        Path out = dir.resolve("equal-time");

        // The default recipes: the trainer's conditional pipeline recipe, then the plain PyTorch script.
        int exit = study.run("--data", SampleData.FASHION_MNIST, "--minutes", "0.1", "--measure-every-minutes", "0.025",
                "--eval-count", "100", "--threads", "1", "--progress-every", "2", "--out", out.toString(),
                "--cache-dir", dir.resolve("cache").toString());

        assertThat(out.resolve("equal-time.json")).as(study.log()).exists();
        JsonNode result = Json.mapper().readTree(out.resolve("equal-time.json").toFile());
        JsonNode ours = result.path("runs").path(0);
        assertThat(ours.path("recipe").asText()).as(study.log()).isEqualTo("pipeline-conditional");
        assertThat(ours.path("steps").asInt()).isEqualTo(4);
        assertThat(ours.path("train_seconds").asDouble()).isEqualTo(6.0);
        assertThat(ours.path("curve").findValues("step").stream().map(JsonNode::asInt).toList()).containsExactly(1, 2, 3, 4);
        assertThat(ours.path("curve").path(0).path("metrics").path("fid").isNumber()).isTrue();
        assertThat(ours.path("metrics").path("fid").isNumber()).as("a finite full FID (NaN is written as null)").isTrue();
        assertThat(ours.path("metrics").path("fid").asDouble()).isPositive();
        assertThat(out.resolve("samples/pipeline-conditional.png")).isNotEmptyFile();
        try (OnnxModelGenerator kept = OnnxModelGenerator.load(out.resolve("models/pipeline-conditional.onnx"))) {
            assertThat(kept.conditional()).as("the recipe's final generator is kept, as the trainer exports it").isTrue();
            assertThat(kept.description()).contains("(step 4)");
        }
        assertThat(Files.readString(out.resolve("equal-time.md"))).contains("| trainer as the pipeline runs it, conditional | 4 | 0.67 |")
                .contains("| pipeline-conditional | 0.05 | 2 |");
        assertThat(study.log()).contains("pipeline-conditional 0.05/0.1 min, step 2: 0.67 steps/s, recipe ETA 3 s");
        if (torch) {
            assertThat(exit).as(study.log()).isZero();
            JsonNode theirs = result.path("runs").path(1);
            assertThat(theirs.path("recipe").asText()).isEqualTo("pytorch-seed");
            assertThat(theirs.path("train_seconds").asDouble()).isGreaterThanOrEqualTo(6.0);
            // At least the export at the end; the ones every 1.5 s depend on how fast this machine trains just now.
            assertThat(theirs.path("curve").size()).isPositive();
            assertThat(theirs.path("curve").path(theirs.path("curve").size() - 1).path("step").asInt()).isEqualTo(theirs.path("steps").asInt());
            assertThat(theirs.path("metrics").path("fid").isNumber()).isTrue();
            assertThat(out.resolve("models/pytorch-seed.onnx")).isNotEmptyFile();
            assertThat(study.out()).containsPattern("ratio fid_pipeline_conditional_vs_pytorch_seed_at_0.1min [0-9.]+\\n");
        } else {
            // Without torch the PyTorch recipe fails as the bench's PyTorch scripts do, saying how to install it, and what
            // the trainer's recipe measured before it is kept.
            assertThat(exit).as(study.log()).isEqualTo(1);
            assertThat(study.log()).contains("PyTorch is not installed").contains("python3-torch");
            assertThat(result.path("runs").size()).isEqualTo(1);
        }
    }

    @Test
    void aLabelledRgbTarTrainsBothSidesAt64x64(@TempDir Path dir) throws IOException, InterruptedException {
        boolean torch = torchInstalled();
        AtomicLong nanos = new AtomicLong();
        PrintedRun study = new PrintedRun((args, env, o, l) -> QualityStudy.run(args, env, o, l, () -> nanos.addAndGet(1_500_000_000L)));
        Path out = dir.resolve("rgb");

        int exit = study.run("--data", labelledRgbTar(dir.resolve("shapes.tar"), 30).toString(), "--image-shape", "64x64x3",
                "--minutes", "0.05", "--measure-every-minutes", "0.025", "--batch", "16", "--eval-count", "100", "--threads", "1",
                "--out", out.toString(), "--cache-dir", dir.resolve("cache").toString());

        assertThat(out.resolve("equal-time.json")).as(study.log()).exists();
        JsonNode result = Json.mapper().readTree(out.resolve("equal-time.json").toFile());
        JsonNode ours = result.path("runs").path(0);
        assertThat(ours.path("recipe").asText()).as(study.log()).isEqualTo("pipeline-conditional");
        assertThat(ours.path("curve").findValues("step").stream().map(JsonNode::asInt).toList()).containsExactly(1, 2);
        assertThat(ours.path("metrics").path("fid").isNumber()).as("a finite full FID (NaN is written as null)").isTrue();
        assertThat(ours.path("metrics").path("class_counts").size()).isEqualTo(3);
        assertThat(result.path("context").path("data").asText()).contains("shapes.tar");
        // The grid is of 64x64 colour tiles: 8 of them with 2-pixel gaps, one way.
        BufferedImage grid = ImageIO.read(out.resolve("samples/pipeline-conditional.png").toFile());
        assertThat(grid.getWidth()).isGreaterThanOrEqualTo(8 * 64);
        assertThat(grid.getColorModel().getNumColorComponents()).isEqualTo(3);
        if (torch) {
            assertThat(exit).as(study.log()).isZero();
            JsonNode theirs = result.path("runs").path(1);
            assertThat(theirs.path("recipe").asText()).isEqualTo("pytorch-seed");
            assertThat(theirs.path("metrics").path("fid").isNumber()).isTrue();
            assertThat(study.out()).containsPattern("ratio fid_pipeline_conditional_vs_pytorch_seed_at_0.05min [0-9.]+\\n");
        } else {
            assertThat(exit).as(study.log()).isEqualTo(1);
            assertThat(study.log()).contains("PyTorch is not installed");
        }
    }

    /** {@code perClass} 64x64 RGB PNGs per class in class folders of a tar: coloured shapes on a dark background. */
    private static Path labelledRgbTar(Path archive, int perClass) throws IOException {
        Random random = new Random(5);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(archive))) {
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < perClass; i++) {
                    BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
                    Graphics2D g = image.createGraphics();
                    g.setColor(new Color(random.nextInt(60), random.nextInt(60), random.nextInt(60)));
                    g.fillRect(0, 0, 64, 64);
                    g.setColor(c == 0 ? new Color(220, 30, 30) : c == 1 ? new Color(30, 30, 220) : new Color(30, 220, 30));
                    int x = 8 + random.nextInt(24);
                    int y = 8 + random.nextInt(24);
                    if (c == 0) {
                        g.fillOval(x, y, 28, 28);
                    } else {
                        g.fillRect(x, y, c == 1 ? 24 : 10, c == 1 ? 24 : 40);
                    }
                    g.dispose();
                    ByteArrayOutputStream png = new ByteArrayOutputStream();
                    ImageIO.write(image, "png", png);
                    TarArchiveEntry entry = new TarArchiveEntry(List.of("circles", "squares", "bars").get(c) + "/" + i + ".png");
                    entry.setSize(png.size());
                    tar.putArchiveEntry(entry);
                    tar.write(png.toByteArray());
                    tar.closeArchiveEntry();
                }
            }
        }
        return archive;
    }

    private static boolean torchInstalled() throws IOException, InterruptedException {
        Process probe = new ProcessBuilder("/usr/bin/python3", "-c", "import torch").redirectErrorStream(true).start();
        probe.getInputStream().readAllBytes();
        return probe.waitFor() == 0;
    }

    private static StudyConfig parse(String... args) {
        return StudyConfig.from(ConfigValues.parse(StudyConfig.spec(), args));
    }

    /** A run of 3 minutes measured each minute (in-training FIDs as given), with this full FID and steps. */
    private static TimedRun run(Recipe recipe, int steps, double fullFid, double... curveFids) {
        List<TimedRun.Point> curve = new ArrayList<>();
        for (int i = 0; i < curveFids.length; i++) {
            curve.add(new TimedRun.Point(60.0 * (i + 1), steps * (i + 1) / curveFids.length, metrics(curveFids[i])));
        }
        return new TimedRun(recipe, steps, 180, curve, metrics(fullFid), "samples/" + recipe.id() + ".png");
    }

    private static QualityMetrics metrics(double fid) {
        double[] shares = new double[10];
        Arrays.fill(shares, 0.1);
        ClassCoverage coverage = ClassCoverage.of(IntStream.range(0, 100).map(i -> i % 10).toArray(), shares);
        return new QualityMetrics(100, 100, fid, 0.01, 0.001, 0.8, 0.7, coverage, Double.NaN);
    }
}
