package dev.ganpipe.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ganpipe.bench.PrintedRun;
import dev.ganpipe.common.Json;
import dev.ganpipe.common.config.ConfigException;
import dev.ganpipe.common.config.ConfigValues;
import dev.ganpipe.quality.QualityMetrics;
import dev.ganpipe.quality.metrics.ClassCoverage;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.quality.data.RealData;
import dev.ganpipe.trainer.data.DecodedImage;
import dev.ganpipe.trainer.gan.Augmentation;
import dev.ganpipe.trainer.gan.GanConfig;
import dev.ganpipe.trainer.gan.StepResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QualityStudyTest {

    @Test
    void recipeListsKeepTheirOrderAndAllMeansEveryRecipe() {
        assertThat(Recipe.parseList("ema-sn, seed,ema-sn")).containsExactly(Recipe.EMA_SN, Recipe.SEED);
        assertThat(Recipe.parseList("all")).containsExactly(Recipe.values());
    }

    @Test
    void anUnknownRecipeIsRefusedWithTheKnownOnesListed() {
        assertThatThrownBy(() -> Recipe.parseList("seed,dropout"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'dropout'")
                .hasMessageContaining(Recipe.allIds());
        assertThatThrownBy(() -> Recipe.parseList(" , ")).isInstanceOf(ConfigException.class).hasMessageContaining("empty");
    }

    @Test
    void recipesSwitchExactlyTheirStabilisersOn() {
        GanConfig base = GanConfig.dcgan28();
        GanConfig seed = Recipe.SEED.configure(base, 10);
        assertThat(seed.augmentation()).isEqualTo(Augmentation.OFF);
        GanConfig ada = Recipe.PIPELINE_CONDITIONAL_ADA.configure(base, 10);
        assertThat(ada.augmentation().mode()).isEqualTo(Augmentation.Mode.ADAPTIVE);
        assertThat(ada.augmentation().probability()).as("ADA starts from no augmentation").isZero();
        assertThat(ada.conditional()).isTrue();
        GanConfig diffAugment = Recipe.PIPELINE_CONDITIONAL_DIFFAUGMENT.configure(base, 10);
        assertThat(diffAugment.augmentation().mode()).isEqualTo(Augmentation.Mode.FIXED);
        assertThat(diffAugment.augmentation().probability()).isEqualTo(1.0);
        assertThat(List.of(diffAugment.augmentation().color(), diffAugment.augmentation().translation(), diffAugment.augmentation().cutout()))
                .containsOnly(true);
        assertThat(Recipe.PIPELINE_CONDITIONAL_ADA.streamedOnce()).as("fed as the pipeline feeds its trainer").isTrue();
        assertThat(Recipe.EMA_CONDITIONAL.streamedOnce()).isFalse();
        assertThat(seed.emaEnabled()).isFalse();
        assertThat(seed.spectralNorm()).isFalse();
        assertThat(seed.conditional()).isFalse();
        GanConfig conditional = Recipe.EMA_CONDITIONAL.configure(base, 10);
        assertThat(conditional.emaDecay()).isEqualTo(GanConfig.DEFAULT_EMA_DECAY);
        assertThat(conditional.classes()).isEqualTo(10);
        assertThat(Recipe.EMA_SN.configure(base, 10).spectralNorm()).isTrue();
        assertThat(Recipe.EMA_REPLAY.replayRatio()).isEqualTo(0.5);
        assertThat(Recipe.SN.configure(base, 10).emaEnabled()).isFalse();
    }

    @Test
    void theCommandLineSetsStepsRecipesAndTheUsableImages() {
        StudyConfig config = StudyConfig.from(ConfigValues.parse(StudyConfig.spec(), "--steps", "800", "--recipes", "seed,pytorch"));
        assertThat(config.steps()).isEqualTo(800);
        assertThat(config.recipes()).containsExactly(Recipe.SEED, Recipe.PYTORCH);
        assertThat(config.usableImages()).isEqualTo(StudyConfig.ALL_IMAGES);
        assertThat(StudyConfig.from(ConfigValues.parse(StudyConfig.spec(), "--usable-images", "10000")).usableImages()).isEqualTo(10_000);
        assertThatThrownBy(() -> StudyConfig.from(ConfigValues.parse(StudyConfig.spec(), "--usable-images", "many")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'all'");
        assertThat(config.batch()).isEqualTo(64);
        assertThatThrownBy(() -> StudyConfig.from(ConfigValues.parse(StudyConfig.spec(), "--steps", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--steps");
    }

    @Test
    void theOrderIsASeededPermutationPerEpoch() {
        int[] order = StudyData.order(10, 25, 42);
        assertThat(order).hasSize(25);
        assertThat(Arrays.stream(order, 0, 10).sorted().toArray()).isEqualTo(IntStream.range(0, 10).toArray());
        assertThat(Arrays.stream(order, 10, 20).sorted().toArray()).isEqualTo(IntStream.range(0, 10).toArray());
        assertThat(Arrays.copyOfRange(order, 0, 10)).isNotEqualTo(IntStream.range(0, 10).toArray());
        assertThat(StudyData.order(10, 25, 42)).isEqualTo(order);
        assertThat(StudyData.order(10, 25, 43)).isNotEqualTo(order);
    }

    @Test
    void theTableHasARowPerRecipeAndTheFloorLast() {
        QualityMetrics metrics = metrics(12.345, 0.2);
        QualityMetrics floor = metrics(0.058, 0.0);
        List<StudyResult> results = List.of(new StudyResult(Recipe.SEED, 800, 400, 60, metrics, "samples/seed.png"),
                new StudyResult(Recipe.EMA, 800, 500, 60, metrics(9.5, 0.1), "samples/ema.png"));
        String table = StudyTable.markdown(results, floor);
        List<String> lines = table.lines().toList();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(2)).startsWith("| seed (plain DCGAN) | 800 | 400 | 2.00 | 12.35 | 0.200 ± 0.010 |");
        assertThat(lines.get(4)).startsWith("| floor (real train vs held-out) | – | – | – | 0.06 |");
        assertThat(StudyTable.bestByFid(results)).map(StudyResult::recipe).contains(Recipe.EMA);
        StudyTable.Context context = new StudyTable.Context("t", "2 cores", "1 1 1", "2 2 2", "data", 51660, 64, 0, 0.91, 10000);
        assertThat(StudyTable.json(context, results, floor)).contains("\"recipe\" : \"seed\"").contains("\"fid\" : 12.345")
                .doesNotContain("NaN");
        assertThat(StudyTable.document(context, results, floor)).contains("Lowest FID: +EMA (9.50)").contains("(samples/ema.png)");
    }

    @Test
    void theEqualStepModeTrainsToItsLastPointAndComparesOursWithPyTorch() {
        StudyConfig config = StudyConfig.from(ConfigValues.parse(StudyConfig.spec(), "--at", "1000,3_000,7000"));
        assertThat(config.equalSteps()).isTrue();
        assertThat(config.at()).containsExactly(1000, 3000, 7000);
        assertThat(config.steps()).isEqualTo(7000);
        assertThat(config.recipes()).containsExactly(Recipe.PIPELINE, Recipe.SEED, Recipe.PYTORCH_SEED);
        assertThat(Recipe.PIPELINE.streamedOnce()).isTrue();
        assertThat(Recipe.PYTORCH_SEED.emaDecay()).isZero();
        assertThatThrownBy(() -> StudyConfig.from(ConfigValues.parse(StudyConfig.spec(), "--at", "3000,1000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ascending");
        assertThatThrownBy(() -> StudyConfig.from(ConfigValues.parse(StudyConfig.spec(), "--at", "1000,x")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'x'");

        List<EqualStepStudy.Point> points = List.of(
                new EqualStepStudy.Point(Recipe.PIPELINE, 1000, metrics(30, 0.1)),
                new EqualStepStudy.Point(Recipe.PIPELINE, 3000, metrics(20, 0.1)),
                new EqualStepStudy.Point(Recipe.SEED, 1000, metrics(45, 0.1)),
                new EqualStepStudy.Point(Recipe.PYTORCH_SEED, 1000, metrics(40, 0.1)),
                new EqualStepStudy.Point(Recipe.PYTORCH_SEED, 3000, metrics(25, 0.1)));
        assertThat(EqualStepTable.ratioLines(points, List.of(1000, 3000))).containsExactly(
                "ratio fid_ours_vs_pytorch_at_1000 0.750",
                "ratio fid_ours_vs_pytorch_at_3000 0.800",
                "ratio fid_seed_vs_pytorch_seed_at_1000 1.125");
        List<String> table = EqualStepTable.markdown(points, List.of(1000, 3000), metrics(0.5, 0)).lines().toList();
        assertThat(table.get(0)).isEqualTo("| step | FID pipeline | FID seed | FID pytorch-seed | KID pipeline | KID seed | KID pytorch-seed |");
        assertThat(table.get(2)).startsWith("| 1,000 | 30.00 | 45.00 | 40.00 |");
        assertThat(table.get(3)).startsWith("| 3,000 | 20.00 | – | 25.00 |");
        assertThat(EqualStepTable.json(points, Map.of(Recipe.PIPELINE, 12.5), null))
                .contains("\"recipe\" : \"pytorch-seed\"").contains("\"train_seconds\" : 12.5").doesNotContain("NaN");
    }

    @Test
    void severalSeedsPrintEachSeedsRatiosAndTheMedianAsTheHeadline() {
        StudyConfig config = StudyConfig.from(ConfigValues.parse(StudyConfig.spec(), "--at", "3000", "--seed", "42, 7,13"));
        assertThat(config.seeds()).containsExactly(42L, 7L, 13L);
        assertThat(config.seed()).isEqualTo(42L);
        StudyConfig seven = config.forSeed(7, Path.of("out/seed-7"));
        assertThat(seven.seed()).isEqualTo(7L);
        assertThat(seven.seeds()).containsExactly(7L);
        assertThat(seven.out()).isEqualTo(Path.of("out/seed-7"));
        assertThatThrownBy(() -> StudyConfig.from(ConfigValues.parse(StudyConfig.spec(), "--seed", "42,7")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--at");
        assertThatThrownBy(() -> StudyConfig.from(ConfigValues.parse(StudyConfig.spec(), "--at", "3000", "--seed", "7,7")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("twice");

        Map<Long, List<EqualStepStudy.Point>> bySeed = new LinkedHashMap<>();
        bySeed.put(42L, List.of(new EqualStepStudy.Point(Recipe.PIPELINE, 3000, metrics(52, 0.1)),
                new EqualStepStudy.Point(Recipe.PYTORCH_SEED, 3000, metrics(50, 0.1))));
        bySeed.put(7L, List.of(new EqualStepStudy.Point(Recipe.PIPELINE, 3000, metrics(45, 0.1)),
                new EqualStepStudy.Point(Recipe.PYTORCH_SEED, 3000, metrics(50, 0.1))));
        bySeed.put(13L, List.of(new EqualStepStudy.Point(Recipe.PIPELINE, 3000, metrics(49, 0.1)),
                new EqualStepStudy.Point(Recipe.PYTORCH_SEED, 3000, metrics(50, 0.1))));
        assertThat(EqualStepTable.medianRatioLines(bySeed, List.of(3000))).containsExactly(
                "ratio fid_ours_vs_pytorch_at_3000 0.980",
                "  (median of 3 seeds; seed 42: 52.00 / 50.00 = 1.040; seed 7: 45.00 / 50.00 = 0.900; seed 13: 49.00 / 50.00 = 0.980)");
        assertThat(EqualStepTable.ratioLines(bySeed.get(7L), List.of(3000), "_seed_7")).containsExactly("ratio fid_ours_vs_pytorch_at_3000_seed_7 0.900");
    }

    @Test
    void thePipelineRecipeGetsEveryImageOnceThenNothingWhileTheOthersGetEpochAfterEpoch() throws InterruptedException {
        byte[] pixels = new byte[10 * 28 * 28];
        for (int i = 0; i < 10; i++) {
            pixels[i * 28 * 28] = (byte) i; // each image says which one it is
        }
        RealData train = RealData.of("ten", ImageShape.FASHION_MNIST, pixels, IntStream.range(0, 10).toArray(),
                IntStream.range(0, 10).mapToObj(Integer::toString).toList());
        StudyData data = StudyData.of(train, 10, 30, 1);
        List<DecodedImage> once = new ArrayList<>();
        assertThat(data.streamedOnce().drainTo(once, 100, Duration.ZERO)).isEqualTo(10);
        assertThat(once.stream().map(d -> (int) d.pixels()[0]).sorted().toList()).isEqualTo(IntStream.range(0, 10).boxed().toList());
        assertThat(once).allSatisfy(d -> assertThat(d.label()).isEqualTo(d.pixels()[0]));
        List<DecodedImage> epochs = new ArrayList<>();
        assertThat(data.source().drainTo(epochs, 100, Duration.ZERO)).isEqualTo(30);
    }

    @Test
    void stepParityReportsTheLargestRelativeDifferenceOfTheFirstStepsAndOfAll() throws Exception {
        List<StepResult> ours = List.of(new StepResult(1, 1.0f, 0.5f, 0.4f, 0.6f, 0f),
                new StepResult(2, 1.0f, 0.5f, 0.4f, 0.6f, 0f));
        JsonNode theirs = Json.mapper().readTree("{\"torch\": \"1.13\", \"steps\": ["
                + "{\"d_loss\": 1.0, \"g_loss\": 0.5, \"d_real\": 0.4, \"d_fake\": 0.6},"
                + "{\"d_loss\": 1.1, \"g_loss\": 0.5, \"d_real\": 0.4, \"d_fake\": 0.6}]}");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StepParity.report(ours, theirs, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("| 1 | 1.000000 | 1.000000 |").contains("| 2 | 1.000000 | 1.100000 |")
                .contains("ratio step_parity_max_relative_difference_first_3_steps 9.09e-02")
                .contains("ratio step_parity_max_relative_difference_all_2_steps 9.09e-02");
    }

    @Test
    void withoutTheDatasetTheStudyRunsOnTheBundledSampleAndSaysItIsATryOut(@TempDir Path dir) throws IOException {
        PrintedRun study = new PrintedRun(QualityStudy::run);

        int exit = study.run("--data", dir.resolve("no-fashion-mnist-here").toString(), "--steps", "2", "--recipes", "seed",
                "--threads", "1", "--eval-count", "200", "--out", dir.resolve("study").toString(), "--cache-dir",
                dir.resolve("cache").toString());

        assertThat(exit).as(study.log()).isZero();
        assertThat(study.log()).contains("does not exist, so the study runs on the bundled 500-image sample");
        // The default --usable-images fits the shared copy; the sample's 400 training images are trained on whole.
        assertThat(Files.readString(dir.resolve("study").resolve("results.md"))).contains("the bundled 500-image sample: a try-out")
                .contains("the first 400 training images").contains("| seed (plain DCGAN) | 2 |");
    }

    private static QualityMetrics metrics(double fid, double kid) {
        double[] shares = new double[10];
        Arrays.fill(shares, 0.1);
        ClassCoverage coverage = ClassCoverage.of(IntStream.range(0, 100).map(i -> i % 10).toArray(), shares);
        return new QualityMetrics(100, 100, fid, kid, 0.01, 0.8, 0.7, coverage, Double.NaN);
    }
}
