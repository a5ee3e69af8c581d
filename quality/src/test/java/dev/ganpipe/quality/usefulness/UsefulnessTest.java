package dev.ganpipe.quality.usefulness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ganpipe.common.Json;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.quality.EvaluationOptions;
import dev.ganpipe.quality.EvaluationReport;
import dev.ganpipe.quality.Evaluator;
import dev.ganpipe.quality.Generator;
import dev.ganpipe.quality.ShapeImages;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real DJL classifiers on three shape classes a small CNN learns in seconds; the generators are real images in disguise. */
class UsefulnessTest {

    private static final ImageShape GRAY = new ImageShape(28, 28, 1);
    private static final RealData TRAIN = ShapeImages.data("shapes-train", GRAY, 100, 11);
    private static final RealData HELD_OUT = ShapeImages.data("shapes-test", GRAY, 60, 12);
    private static final ClassifierOptions QUICK = new ClassifierOptions(6, 32, 2e-3, 1);
    private static final UsefulnessOptions OPTIONS = UsefulnessOptions.defaults()
            .withClassifier(QUICK)
            .withCasImages(150)
            .withSteps(40)
            .withTestImages(120)
            .withUplift(List.of(3), 30, 1)
            .withImbalanced(0, 50, 0.04)
            .withMemorisationImages(60);

    private static DomainClassifier classifier;

    @BeforeAll
    static void trainClassifier() {
        classifier = ClassifierTrainer.train(TRAIN, HELD_OUT, QUICK, line -> { });
    }

    @AfterAll
    static void free() {
        classifier.close();
    }

    @Test
    void imagesOfTheRequestedClassScoreNearRealImagesAndWrongClassImagesScoreNearNothing() {
        UsefulnessReport right = measure(new ShapesGenerator(5, 0));
        UsefulnessReport wrong = measure(new ShapesGenerator(6, 1));

        ClassificationAccuracyScore good = right.cas().orElseThrow();
        ClassificationAccuracyScore bad = wrong.cas().orElseThrow();
        assertThat(good.real().accuracy()).isGreaterThan(0.9);
        assertThat(good.ratio()).isGreaterThan(0.9);
        assertThat(bad.generated().accuracy()).as("every image taught as the next class").isLessThan(0.2);
        assertThat(bad.ratio()).isLessThan(0.25);
        assertThat(Arrays.stream(good.generated().recall()).min().orElseThrow()).isGreaterThan(0.8);
    }

    @Test
    void rightImagesHelpTheCutClassAndWrongOnesHurtTheFewShotClassifier() {
        AugmentationUplift right = measure(new ShapesGenerator(7, 0)).uplift().orElseThrow();
        AugmentationUplift wrong = measure(new ShapesGenerator(8, 1)).uplift().orElseThrow();

        assertThat(right.imbalanced().realKept()).isEqualTo(2);
        assertThat(right.imbalanced().recallAfter()).isGreaterThan(0.9).isGreaterThanOrEqualTo(right.imbalanced().recallBefore());
        assertThat(wrong.rows().getFirst().uplift()).as("30 mislabelled images per class against 3 real").isLessThan(-0.3);
        assertThat(right.rows().getFirst().uplift()).isGreaterThan(wrong.rows().getFirst().uplift() + 0.3);
        assertThat(wrong.imbalanced().recallAfter()).isLessThan(0.5);
    }

    @Test
    void flagsAGeneratorThatHandsOutTrainingImagesAndNotOneThatMakesNewImages() {
        Memorisation copies = memorisation(new ReplayGenerator(TRAIN));
        Memorisation fresh = memorisation(new ReplayGenerator(HELD_OUT));

        assertThat(copies.pixels().generatedShare()).isGreaterThan(0.95);
        assertThat(copies.features().generatedShare()).isGreaterThan(0.95);
        assertThat(copies.closest().getFirst().distance()).isLessThan(0.01);
        assertThat(copies.closest().getFirst().generated().pixels()).isEqualTo(TRAIN.image(copies.closest().getFirst().trainIndex()).pixels());
        assertThat(fresh.pixels().generatedShare()).isLessThan(0.25);
        assertThat(fresh.features().generatedShare()).isLessThan(0.25);
        assertThat(fresh.pixels().heldOutShare()).isLessThan(0.25);
        assertThat(copies.closest()).hasSize(OPTIONS.pairsShown());
    }

    @Test
    void anUnconditionalGeneratorGetsMemorisationOnlyAndSaysWhy() {
        UsefulnessReport report = measure(new ShapesGenerator(9, 0) {
            @Override
            public boolean conditional() {
                return false;
            }
        });

        assertThat(report.cas()).isEmpty();
        assertThat(report.uplift()).isEmpty();
        assertThat(report.omitted()).contains("need a conditional generator");
        assertThat(report.memorisation().generated()).isEqualTo(60);
    }

    @Test
    void theEvaluatorReportCarriesTheMeasuresInTableJsonAndFigure() throws IOException {
        EvaluationReport report;
        try (Evaluator evaluator = Evaluator.prepare(classifier, TRAIN, HELD_OUT, EvaluationOptions.inTraining().withCount(90).withKid(3, 30))) {
            ShapesGenerator generator = new ShapesGenerator(10, 0);
            report = evaluator.evaluate(generator).withUsefulness(evaluator.usefulness(generator, OPTIONS));
        }
        UsefulnessReport u = report.usefulness().orElseThrow();

        assertThat(ReportTable.render(report)).contains("CAS: trained on 150 generated images", "Augmentation uplift", "Imbalanced: square cut to 2",
                "Memorisation:", "pixels", "features");
        JsonNode json = Json.mapper().readTree(ReportJson.render(report)).path("usefulness");
        assertThat(json.path("cas").path("ratio").asDouble()).isEqualTo(u.cas().orElseThrow().ratio());
        assertThat(json.path("cas").path("per_class")).hasSize(3);
        assertThat(json.path("uplift").path("rows").get(0).path("k").asInt()).isEqualTo(3);
        assertThat(json.path("memorisation").path("pixels").path("generated_share").isNumber()).isTrue();
        BufferedImage withPairs = ImageIO.read(new ByteArrayInputStream(ReportFigure.png(report)));
        BufferedImage without = ImageIO.read(new ByteArrayInputStream(ReportFigure.png(new EvaluationReport(report.generator(), report.shape(),
                report.classNames(), report.classifier(), report.heldOutAccuracy(), report.trainData(), report.heldOutData(), report.generated(),
                report.floor(), report.samplesByClass(), report.settings(), report.seconds()))));
        assertThat(withPairs.getHeight()).isGreaterThan(without.getHeight() + 56);
    }

    @Test
    void refusesAnImbalancedClassTheDataLacks() {
        assertThatThrownBy(() -> Usefulness.measure(new ShapesGenerator(1, 0), classifier, TRAIN, HELD_OUT, OPTIONS.withImbalanced(5, 50, 0.02),
                line -> { })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only 3 classes");
    }

    private static UsefulnessReport measure(Generator generator) {
        return Usefulness.measure(generator, classifier, TRAIN, HELD_OUT, OPTIONS, line -> { });
    }

    /** Only the memorisation search (the CAS and uplift classifiers are what costs time), on 60 images as {@link Usefulness} picks them. */
    private static Memorisation memorisation(Generator generator) {
        int n = OPTIONS.memorisationImages();
        RealData generated = RealData.of("generated", GeneratedImages.generate(generator, n, 3, OPTIONS.seed()), GeneratedImages.requestedLabels(n, 3),
                ShapeImages.CLASSES);
        return MemorisationSearch.measure(generated, TRAIN, HELD_OUT, classifier, OPTIONS.pairsShown(), OPTIONS.seed());
    }

    /** Fresh shape images of the requested class plus {@code labelOffset}: 0 is a perfect generator, 1 one that mixes up every class. */
    static class ShapesGenerator implements Generator {
        private final Random random;
        private final int labelOffset;

        ShapesGenerator(long seed, int labelOffset) {
            this.random = new Random(seed);
            this.labelOffset = labelOffset;
        }

        @Override
        public ImageShape shape() {
            return GRAY;
        }

        @Override
        public int noiseDim() {
            return 4;
        }

        @Override
        public boolean conditional() {
            return true;
        }

        @Override
        public float[] generate(float[] z, int count) {
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = random.nextInt(3);
            }
            return ShapeImages.modelInput(random, GRAY, labels);
        }

        @Override
        public float[] generate(float[] z, int[] labels, int count) {
            int[] classes = new int[count];
            for (int i = 0; i < count; i++) {
                classes[i] = (labels[i] + labelOffset) % 3;
            }
            return ShapeImages.modelInput(random, GRAY, classes);
        }
    }

    /** Hands out the images of a real set verbatim, the next one of the requested class each time. */
    static class ReplayGenerator extends ShapesGenerator {
        private final RealData source;
        private final List<List<Integer>> byClass = new ArrayList<>();
        private final int[] next = new int[3];

        ReplayGenerator(RealData source) {
            super(0, 0);
            this.source = source;
            for (int c = 0; c < 3; c++) {
                byClass.add(new ArrayList<>());
            }
            for (int i = 0; i < source.count(); i++) {
                byClass.get(source.label(i)).add(i);
            }
        }

        @Override
        public float[] generate(float[] z, int[] labels, int count) {
            int[] rows = new int[count];
            for (int i = 0; i < count; i++) {
                List<Integer> ofClass = byClass.get(labels[i]);
                rows[i] = ofClass.get(next[labels[i]]++ % ofClass.size());
            }
            return source.modelInput(rows);
        }
    }
}
