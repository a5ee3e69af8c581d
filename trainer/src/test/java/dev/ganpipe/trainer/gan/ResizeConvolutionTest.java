package dev.ganpipe.trainer.gan;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generator computes "upsample x2, then 3x3 convolution" as four 2x2 convolutions on the small map. That must be
 * the same function as the pair it replaces, forward and backward, or training and the ONNX export (which writes the
 * pair) would disagree.
 */
class ResizeConvolutionTest extends TorchCpuFixture {

    /** Every stage of dcgan28, dcgan32 and dcgan64 at default widths (batch 4), with and without bias, and odd shapes. */
    static Stream<Arguments> stages() {
        return Stream.of(Arguments.of(new Shape(4, 128, 7, 7), 64, false), Arguments.of(new Shape(4, 64, 14, 14), 1, true),
                Arguments.of(new Shape(4, 512, 4, 4), 256, false), Arguments.of(new Shape(4, 256, 8, 8), 128, false),
                Arguments.of(new Shape(4, 128, 16, 16), 64, false), Arguments.of(new Shape(4, 64, 32, 32), 3, true),
                Arguments.of(new Shape(4, 256, 4, 4), 128, false), Arguments.of(new Shape(4, 128, 8, 8), 64, false),
                Arguments.of(new Shape(4, 64, 16, 16), 3, true),
                Arguments.of(new Shape(3, 5, 6, 9), 7, true), Arguments.of(new Shape(1, 1, 1, 1), 1, true));
    }

    @ParameterizedTest(name = "{0} to {1} channels, bias {2}")
    @MethodSource("stages")
    void givesTheValuesAndGradientsOfUpsamplingThenConvolving(Shape shape, int filters, boolean bias) {
        Conv2d conv = Conv2d.builder().setFilters(filters).setKernelShape(new Shape(3, 3)).optStride(new Shape(1, 1))
                .optPadding(new Shape(1, 1)).optBias(bias).build();
        conv.setInitializer(new NormalInitializer(1f), Parameter.Type.WEIGHT);
        conv.setInitializer(new NormalInitializer(1f), Parameter.Type.BIAS);
        Shape upsampled = new Shape(shape.get(0), shape.get(1), 2 * shape.get(2), 2 * shape.get(3));
        conv.initialize(manager, DataType.FLOAT32, upsampled);
        assertThat(ResizeConvolution.fits(DcganOp.upsampleNearest(2), conv)).isTrue();
        Random random = new Random(shape.hashCode() * 31L + filters);
        float[] input = gaussians(random, (int) shape.size());
        float[] upstream = gaussians(random, (int) (upsampled.size() / shape.get(1) * filters));
        try (NDManager scope = manager.newSubManager()) {
            ParameterStore store = new ParameterStore(scope, false);
            Pass pair = pass(scope, shape, input, upstream, conv,
                    x -> conv.forward(store, new NDList(DcganOp.upsampleByRepeat(x, 2)), true).singletonOrThrow());
            Pass fused = pass(scope, shape, input, upstream, conv, x -> ResizeConvolution.forward(x,
                    store.getValue(conv.getDirectParameters().get("weight"), Device.cpu(), true),
                    bias ? store.getValue(conv.getDirectParameters().get("bias"), Device.cpu(), true) : null));

            assertClose(fused.output(), pair.output(), "forward");
            assertClose(fused.inputGradient(), pair.inputGradient(), "gradient of the input");
            for (String name : pair.parameterGradients().keySet()) {
                assertClose(fused.parameterGradients().get(name), pair.parameterGradients().get(name), "gradient of " + name);
            }
        }
    }

    @Test
    void leavesOtherConvolutionsToThePlainPath() {
        Conv2d strided = Conv2d.builder().setFilters(8).setKernelShape(new Shape(4, 4)).optStride(new Shape(2, 2))
                .optPadding(new Shape(1, 1)).build();
        Conv2d threeByThree = Conv2d.builder().setFilters(8).setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).build();
        assertThat(ResizeConvolution.fits(DcganOp.upsampleNearest(2), strided)).isFalse();
        assertThat(ResizeConvolution.fits(DcganOp.upsampleNearest(3), threeByThree)).isFalse();
        assertThat(ResizeConvolution.fits(DcganOp.relu(), threeByThree)).isFalse();
        assertThat(ResizeConvolution.fits(DcganOp.upsampleNearest(2), threeByThree)).isTrue();
    }

    /** Both generator families, unconditional and conditional, in training mode (batch statistics) and inference mode. */
    static Stream<Arguments> generators() {
        GanConfig small28 = GanConfig.dcgan28().withWidths(16, 16);
        GanConfig small32 = GanConfig.dcgan32().withWidths(8, 8);
        GanConfig small64 = GanConfig.dcgan64().withWidths(8, 8);
        return Stream.of(Arguments.of(small28, true), Arguments.of(small28, false), Arguments.of(small32, true),
                Arguments.of(small32, false), Arguments.of(small64, true), Arguments.of(small64, false),
                Arguments.of(small28.withClasses(10), true), Arguments.of(small32.withClasses(10), false));
    }

    @ParameterizedTest(name = "{0}, training {1}")
    @MethodSource("generators")
    void theGeneratorComputesWhatItsLayersDoOneByOne(GanConfig config, boolean training) {
        SequentialBlock generator = DcganModels.generator(config);
        assertThat(generator).isInstanceOf(DcganGenerator.class);
        DcganModels.initialize(generator, manager, DcganModels.generatorInputShapes(config), 7);
        // The same layer objects in a plain sequence: each upsample and convolution runs on its own.
        SequentialBlock layerByLayer = new SequentialBlock().addAll(generator.getChildren().values());
        int count = 6;
        float[] noise = gaussians(new Random(11), count * config.noiseDim());
        try (NDManager scope = manager.newSubManager()) {
            ParameterStore store = new ParameterStore(scope, false);
            NDList inputs = config.conditional()
                    ? new NDList(scope.create(noise, new Shape(count, config.noiseDim())), scope.create(new long[] {0, 1, 2, 3, 4, 9}))
                    : new NDList(scope.create(noise, new Shape(count, config.noiseDim())));
            // Training-mode forwards move BatchNorm's running statistics: compare the first forward of each on equal ones.
            Map<String, float[]> before = buffers(generator);
            float[] expected = layerByLayer.forward(store, inputs, training).singletonOrThrow().toFloatArray();
            Map<String, float[]> afterPlain = buffers(generator);
            restore(generator, before);
            float[] actual = generator.forward(store, inputs, training).singletonOrThrow().toFloatArray();
            assertClose(actual, expected, "generated images");
            Map<String, float[]> afterFused = buffers(generator);
            for (String name : afterPlain.keySet()) {
                assertClose(afterFused.get(name), afterPlain.get(name), "running statistic " + name);
            }
        }
    }

    private record Pass(float[] output, float[] inputGradient, Map<String, float[]> parameterGradients) {
    }

    /** Forward {@code f} on the input, backward of {@code sum(f(x) * upstream)}; gradients are zeroed afterwards. */
    private Pass pass(NDManager scope, Shape shape, float[] input, float[] upstream, Block conv, Function<NDArray, NDArray> f) {
        NDArray x = scope.create(input, shape);
        x.setRequiresGradient(true);
        NDArray y;
        try (GradientCollector collector = engine.newGradientCollector()) {
            y = f.apply(x);
            collector.backward(y.mul(scope.create(upstream, y.getShape())).sum());
        }
        Map<String, float[]> gradients = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : conv.getParameters()) {
            NDArray array = p.getValue().getArray();
            gradients.put(p.getKey(), array.getGradient().toFloatArray());
            TorchRuntime.zeroGradient(array);
        }
        return new Pass(y.toFloatArray(), x.getGradient().toFloatArray(), gradients);
    }

    private static Map<String, float[]> buffers(Block block) {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().getType() == Parameter.Type.RUNNING_MEAN || p.getValue().getType() == Parameter.Type.RUNNING_VAR) {
                values.put(p.getKey(), p.getValue().getArray().toFloatArray());
            }
        }
        return values;
    }

    private static void restore(Block block, Map<String, float[]> values) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            float[] saved = values.get(p.getKey());
            if (saved != null) {
                NDArray array = p.getValue().getArray();
                array.set(saved);
            }
        }
    }

    /**
     * Float sums in another order (the phase taps add weights before multiplying): measured differences are up to
     * 5e-6 of the largest value (weight gradients summed over a whole batch); a wrong tap would be of order 1.
     */
    private static void assertClose(float[] actual, float[] expected, String what) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        double worst = 0;
        double scale = 1;
        for (int i = 0; i < actual.length; i++) {
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        assertThat(worst / scale).as("largest difference of the %s, relative to its largest value %s", what, scale)
                .isLessThanOrEqualTo(1e-5);
    }
}
