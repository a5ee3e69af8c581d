package dev.ganpipe.trainer.gan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DcganModelsTest extends TorchCpuFixture {

    @Test
    void dcgan28NetworksMapNoiseToImagesAndImagesToOneLogit() {
        GanConfig config = GanConfig.dcgan28().withWidths(8, 8);
        assertShapes(config);
    }

    @Test
    void dcgan64NetworksMapNoiseToImagesAndImagesToOneLogit() {
        GanConfig config = GanConfig.dcgan64().withWidths(4, 4);
        assertShapes(config);
    }

    @Test
    void dcgan32NetworksMapNoiseToImagesAndImagesToOneLogitInRgbAndGray() {
        assertShapes(GanConfig.dcgan32().withWidths(4, 4));
        assertShapes(new GanConfig(32, 1, 100, 4, 4, 2e-4, 0.5, 0.999, 1, 0));
    }

    @Test
    void aConditionalGeneratorsLabelEmbeddingStartsSmallLikeItsWeightsSoTheLabelsDoNotDrownTheNoise() {
        GanConfig config = GanConfig.dcgan28().withWidths(8, 8).withClasses(10);
        SequentialBlock g = DcganModels.generator(config);
        DcganModels.initialize(g, manager, DcganModels.generatorInputShapes(config), 1);
        float[] table = g.getParameters().stream().filter(p -> p.getValue().getName().equals(LabelConcat.TABLE)).findFirst()
                .orElseThrow().getValue().getArray().toFloatArray();
        double sumSquares = 0;
        for (float v : table) {
            sumSquares += v * v;
        }
        // At N(0, 1), as z, the labels came to carry the generator's variance and it ignored z within a class
        // (recall 0.002 after 500 steps; 0.176 from this start: docs/quality.md).
        assertThat(Math.sqrt(sumSquares / table.length)).isCloseTo(DcganModels.INIT_STD, within(0.005));
    }

    @Test
    void dcgan32StartsAtFourByFourWithFourTimesTheBaseWidthAndItsDiscriminatorEndsThere() {
        GanConfig config = GanConfig.dcgan32().withWidths(8, 4);
        SequentialBlock g = DcganModels.generator(config);
        SequentialBlock d = DcganModels.discriminator(config);
        DcganModels.initialize(g, manager, DcganModels.generatorInputShape(config), 1);
        DcganModels.initialize(d, manager, DcganModels.discriminatorInputShape(config), 2);
        // Generator: 100 -> 4*8 maps of 4x4, then three resize-convolutions 4 -> 8 -> 16 -> 32 to 2*8, 8 and 3 channels.
        assertThat(weightShapes(g)).containsExactly(new Shape(32 * 4 * 4, 100), new Shape(16, 32, 3, 3), new Shape(8, 16, 3, 3),
                new Shape(3, 8, 3, 3));
        // Discriminator: three strided convolutions 32 -> 16 -> 8 -> 4 to 4, 8 and 16 channels, then one logit from 16x4x4.
        assertThat(weightShapes(d)).containsExactly(new Shape(4, 3, 4, 4), new Shape(8, 4, 4, 4), new Shape(16, 8, 4, 4),
                new Shape(1, 16 * 4 * 4));
    }

    private static List<Shape> weightShapes(SequentialBlock block) {
        return block.getParameters().values().stream().filter(p -> p.getType() == Parameter.Type.WEIGHT)
                .map(p -> p.getArray().getShape()).toList();
    }

    private void assertShapes(GanConfig config) {
        SequentialBlock g = DcganModels.generator(config);
        SequentialBlock d = DcganModels.discriminator(config);
        DcganModels.initialize(g, manager, DcganModels.generatorInputShape(config), 1);
        DcganModels.initialize(d, manager, DcganModels.discriminatorInputShape(config), 2);
        int size = config.imageSize();
        ParameterStore ps = new ParameterStore(manager, false);
        try (NDManager scope = manager.newSubManager()) {
            NDArray z = scope.randomNormal(new Shape(3, config.noiseDim()));
            NDArray images = g.forward(ps, new NDList(z), false).singletonOrThrow();
            assertThat(images.getShape()).isEqualTo(new Shape(3, config.channels(), size, size));
            assertThat(images.abs().max().getFloat()).isLessThanOrEqualTo(1f);
            NDArray logits = d.forward(ps, new NDList(images), false).singletonOrThrow();
            assertThat(logits.getShape()).isEqualTo(new Shape(3, 1));
        }
    }

    @Test
    void theSameSeedGivesTheSameInitialWeightsAndAnotherSeedOthers() {
        GanConfig config = GanConfig.dcgan28().withWidths(8, 8);
        Map<String, float[]> a = initialGenerator(config, 5);
        Map<String, float[]> b = initialGenerator(config, 5);
        Map<String, float[]> c = initialGenerator(config, 6);
        assertThat(a.keySet()).isEqualTo(b.keySet());
        a.forEach((name, values) -> assertThat(b.get(name)).as(name).isEqualTo(values));
        assertThat(c.get(firstWeightName(a))).isNotEqualTo(a.get(firstWeightName(a)));
    }

    @Test
    void initialValuesFollowTheDcganRecipe() {
        GanConfig config = GanConfig.dcgan28();
        SequentialBlock g = DcganModels.generator(config);
        DcganModels.initialize(g, manager, DcganModels.generatorInputShape(config), 3);
        for (Parameter p : g.getParameters().values()) {
            float[] v = p.getArray().toFloatArray();
            switch (p.getType()) {
                case WEIGHT -> {
                    if (v.length >= 10_000) { // enough samples for tight moments
                        assertThat(mean(v)).as(p.getName()).isCloseTo(0.0, within(0.002));
                        assertThat(std(v)).as(p.getName()).isCloseTo(0.02, within(0.002));
                    }
                }
                case GAMMA -> assertThat(mean(v)).as(p.getName()).isCloseTo(1.0, within(0.01));
                case BIAS, BETA, RUNNING_MEAN -> assertThat(v).as(p.getName()).containsOnly(0f);
                case RUNNING_VAR -> assertThat(v).as(p.getName()).containsOnly(1f);
                default -> throw new AssertionError("Unexpected parameter " + p.getName());
            }
        }
    }

    @Test
    void upsamplingRepeatsEachPixelIntoATwoByTwoBlock() {
        DcganOp up = DcganOp.upsampleNearest(2);
        up.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 1, 2, 2));
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2));
            NDArray y = up.forward(new ParameterStore(scope, false), new NDList(x), false).singletonOrThrow();
            assertThat(y.getShape()).isEqualTo(new Shape(1, 1, 4, 4));
            assertThat(y.toFloatArray()).containsExactly(1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4);
        }
    }

    private Map<String, float[]> initialGenerator(GanConfig config, long seed) {
        SequentialBlock g = DcganModels.generator(config);
        DcganModels.initialize(g, manager, DcganModels.generatorInputShape(config), seed);
        Map<String, float[]> values = new LinkedHashMap<>();
        g.getParameters().forEach(pair -> values.put(pair.getKey(), pair.getValue().getArray().toFloatArray()));
        return values;
    }

    private static String firstWeightName(Map<String, float[]> params) {
        return params.keySet().stream().filter(n -> n.endsWith("weight")).findFirst().orElseThrow();
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double std(float[] v) {
        double m = mean(v);
        double s = 0;
        for (float x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / v.length);
    }
}
