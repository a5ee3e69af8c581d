package dev.ganpipe.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ganpipe.common.Json;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.quality.classifier.ClassifierOptions;
import dev.ganpipe.quality.classifier.ClassifierTrainer;
import dev.ganpipe.quality.classifier.DomainClassifier;
import dev.ganpipe.quality.data.RealData;
import dev.ganpipe.quality.report.ReportFigure;
import dev.ganpipe.quality.report.ReportJson;
import dev.ganpipe.quality.report.ReportTable;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

    private static final ImageShape GRAY = new ImageShape(28, 28, 1);
    private static final RealData TRAIN = ShapeImages.data("shapes-train", GRAY, 100, 11);
    private static final RealData HELD_OUT = ShapeImages.data("shapes-test", GRAY, 60, 12);
    private static final EvaluationOptions OPTIONS = EvaluationOptions.inTraining().withCount(150).withKid(5, 100);

    private static DomainClassifier classifier;
    private static Evaluator evaluator;

    @BeforeAll
    static void trainClassifier() {
        classifier = ClassifierTrainer.train(TRAIN, HELD_OUT, new ClassifierOptions(6, 32, 2e-3, 1), line -> { });
        evaluator = Evaluator.prepare(classifier, TRAIN, HELD_OUT, OPTIONS);
    }

    @AfterAll
    static void free() {
        evaluator.close();
        classifier.close();
    }

    @Test
    void realImagesScoreNearTheFloorAndNoiseScoresFarWorse() {
        EvaluationReport real = evaluator.evaluate(new ShapesGenerator(99, false, 0));
        EvaluationReport noise = evaluator.evaluate(new NoiseGenerator());

        QualityMetrics floor = real.floor().orElseThrow();
        assertThat(real.generated().fid()).isLessThan(noise.generated().fid() / 10);
        assertThat(real.generated().fid()).isLessThan(Math.max(3 * floor.fid(), 1.0));
        assertThat(real.generated().kid()).isLessThan(noise.generated().kid());
        assertThat(real.generated().precision()).isGreaterThan(0.8).isGreaterThan(noise.generated().precision());
        assertThat(real.generated().recall()).isGreaterThan(0.8).isGreaterThan(noise.generated().recall());
        assertThat(real.generated().coverage().covered()).isEqualTo(3);
        assertThat(noise.generated().coverage().covered()).isLessThan(3);
        assertThat(real.generated().conditionalAccuracy()).as("unconditional").isNaN();
        assertThat(floor.conditionalAccuracy()).as("the classifier's held-out accuracy").isEqualTo(real.heldOutAccuracy());
        assertThat(real.settings().count()).isEqualTo(150);
        assertThat(real.samplesByClass()).hasSize(3).allSatisfy(group -> assertThat(group).hasSize(Evaluator.SAMPLES_PER_CLASS));
    }

    @Test
    void aConditionalGeneratorIsScoredAgainstItsRequestedLabels() {
        EvaluationReport right = evaluator.evaluate(new ShapesGenerator(5, true, 0));
        EvaluationReport wrong = evaluator.evaluate(new ShapesGenerator(5, true, 1));

        assertThat(right.generated().conditionalAccuracy()).isGreaterThan(0.9);
        assertThat(wrong.generated().conditionalAccuracy()).isLessThan(0.1);
        assertThat(right.generated().asMap()).containsKeys(QualityMetrics.FID, QualityMetrics.CONDITIONAL_ACCURACY);
    }

    @Test
    void aGeneratorCollapsedOnOneClassCoversOneClassAndLosesRecall() {
        EvaluationReport collapsed = evaluator.evaluate(new ShapesGenerator(7, false, 0) {
            @Override
            int labelFor(int index, int[] labels) {
                return 2;
            }
        });

        assertThat(collapsed.generated().coverage().covered()).isEqualTo(1);
        assertThat(collapsed.generated().recall()).isLessThan(0.6);
        assertThat(collapsed.generated().precision()).isGreaterThan(0.8);
    }

    @Test
    void theSameGeneratorGetsTheSameNumbersEveryTime() {
        QualityMetrics first = evaluator.evaluate(new ShapesGenerator(3, false, 0)).generated();
        QualityMetrics second = evaluator.evaluate(new ShapesGenerator(3, false, 0)).generated();

        assertThat(second.asMap()).isEqualTo(first.asMap());
        assertThat(evaluator.floor()).isSameAs(evaluator.floor());
    }

    @Test
    void theReportRendersAsTableJsonAndFigure() throws IOException {
        EvaluationReport report = evaluator.evaluate(new ShapesGenerator(1, false, 0));

        String table = ReportTable.render(report);
        assertThat(table).contains("FID (classifier)", "floor (real train)", "classes covered", "square", "3/3");
        JsonNode json = Json.mapper().readTree(ReportJson.render(report));
        assertThat(json.path("generated").path("fid").asDouble()).isEqualTo(report.generated().fid());
        assertThat(json.path("floor").path("precision").isNumber()).isTrue();
        assertThat(json.path("generated").path("conditional_accuracy").isNull()).isTrue();
        assertThat(json.path("generated").path("coverage").path("histogram")).hasSize(3);
        assertThat(json.path("classes").get(1).asText()).isEqualTo("bar");
        BufferedImage figure = ImageIO.read(new ByteArrayInputStream(ReportFigure.png(report)));
        assertThat(figure.getWidth()).isGreaterThan(400);
        assertThat(figure.getHeight()).isGreaterThan(3 * 56);
    }

    @Test
    void refusesAGeneratorOfAnotherShape() {
        Generator rgb = new NoiseGenerator() {
            @Override
            public ImageShape shape() {
                return new ImageShape(28, 28, 3);
            }
        };

        assertThatThrownBy(() -> evaluator.evaluate(rgb)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("makes 28x28x3 images but the real data is 28x28x1");
    }

    @Test
    void explainsAGeneratorThatReturnsTheWrongNumberOfValues() {
        Generator broken = new NoiseGenerator() {
            @Override
            public float[] generate(float[] z, int count) {
                return new float[3];
            }
        };

        assertThatThrownBy(() -> evaluator.evaluate(broken)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("must return count * C * H * W");
    }

    /** Fresh shape images: a stand-in for a perfect generator (conditional, or unconditional cycling the classes). */
    static class ShapesGenerator extends GrayGenerator {
        private final Random random;
        private final boolean conditional;
        private final int labelOffset;
        private int produced;

        ShapesGenerator(long seed, boolean conditional, int labelOffset) {
            this.random = new Random(seed);
            this.conditional = conditional;
            this.labelOffset = labelOffset;
        }

        @Override
        public boolean conditional() {
            return conditional;
        }

        @Override
        public float[] generate(float[] z, int count) {
            return generate(z, null, count);
        }

        @Override
        public float[] generate(float[] z, int[] labels, int count) {
            int[] classes = new int[count];
            for (int i = 0; i < count; i++) {
                classes[i] = labelFor(produced++, labels == null ? null : Arrays.copyOfRange(labels, i, i + 1));
            }
            return ShapeImages.modelInput(random, GRAY, classes);
        }

        int labelFor(int index, int[] labels) {
            return labels == null ? index % 3 : (labels[0] + labelOffset) % 3;
        }

        @Override
        public String description() {
            return "shapes";
        }
    }

    /** Uniform noise in [-1, 1]. */
    static class NoiseGenerator extends GrayGenerator {
        private final Random random = new Random(4);

        @Override
        public float[] generate(float[] z, int count) {
            float[] out = new float[count * GRAY.values()];
            for (int i = 0; i < out.length; i++) {
                out[i] = 2 * random.nextFloat() - 1;
            }
            return out;
        }
    }

    /** A generator of the real data's shape (28x28 gray) with a small noise vector: what the fakes above have in common. */
    abstract static class GrayGenerator implements Generator {

        @Override
        public ImageShape shape() {
            return GRAY;
        }

        @Override
        public int noiseDim() {
            return 4;
        }
    }
}
