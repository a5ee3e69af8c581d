package dev.ganpipe.trainer.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ganpipe.common.config.ConfigException;
import dev.ganpipe.common.config.ConfigValues;
import dev.ganpipe.quality.QualityMetrics;
import dev.ganpipe.quality.metrics.ClassCoverage;
import dev.ganpipe.trainer.gan.GanConfig;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

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
        assertThat(config.usableImages()).isEqualTo(StudyConfig.FIRST_SHIFTED_LABEL);
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

    private static QualityMetrics metrics(double fid, double kid) {
        double[] shares = new double[10];
        Arrays.fill(shares, 0.1);
        ClassCoverage coverage = ClassCoverage.of(IntStream.range(0, 100).map(i -> i % 10).toArray(), shares);
        return new QualityMetrics(100, 100, fid, kid, 0.01, 0.8, 0.7, coverage, Double.NaN);
    }
}
