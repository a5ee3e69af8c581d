package dev.ganpipe.trainer.gan;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The upsampling layer takes libtorch's {@code upsample_nearest2d} while a graph is recorded and the repeat
 * otherwise; both must compute the same values and send back the same gradients, or training would change.
 */
class DcganOpTest extends TorchCpuFixture {

    /** Every input shape the generators upsample (dcgan28, dcgan32 and dcgan64 at default widths, batch 8), and odd ones. */
    static Stream<Arguments> shapes() {
        return Stream.of(Arguments.of(new Shape(8, 128, 7, 7)), Arguments.of(new Shape(8, 64, 14, 14)),
                Arguments.of(new Shape(8, 512, 4, 4)), Arguments.of(new Shape(8, 256, 8, 8)),
                Arguments.of(new Shape(8, 128, 16, 16)), Arguments.of(new Shape(8, 64, 32, 32)),
                Arguments.of(new Shape(8, 256, 4, 4)), Arguments.of(new Shape(8, 128, 8, 8)), Arguments.of(new Shape(8, 64, 16, 16)),
                Arguments.of(new Shape(3, 5, 6, 9)), Arguments.of(new Shape(1, 1, 1, 1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void whileRecordingTheLayerGivesTheRepeatsValuesAndGradients(Shape shape) {
        DcganOp up = DcganOp.upsampleNearest(2);
        up.initialize(manager, DataType.FLOAT32, shape);
        Random random = new Random(shape.hashCode());
        float[] input = gaussians(random, (int) shape.size());
        float[] upstream = gaussians(random, (int) shape.size() * 4);
        try (NDManager scope = manager.newSubManager()) {
            ParameterStore store = new ParameterStore(scope, false);
            Pass layer = pass(scope, shape, input, upstream,
                    x -> up.forward(store, new NDList(x), true).singletonOrThrow());
            Pass repeat = pass(scope, shape, input, upstream, x -> DcganOp.upsampleByRepeat(x, 2));
            Pass nearest = pass(scope, shape, input, upstream, x -> TorchRuntime.upsampleNearest2d(x, 2));

            assertThat(layer.recording()).as("the layer ran with a graph recorded, so it took upsample_nearest2d").isTrue();
            assertThat(layer.output()).hasSize(upstream.length);
            assertClose(layer.output(), repeat.output(), "forward");
            assertClose(layer.gradient(), repeat.gradient(), "gradient of the input");
            assertClose(nearest.output(), repeat.output(), "forward of upsample_nearest2d itself");
            assertClose(nearest.gradient(), repeat.gradient(), "gradient of upsample_nearest2d itself");
        }
    }

    @Test
    void withoutAGraphTheLayerRepeatsEachPixelIntoATwoByTwoBlock() {
        DcganOp up = DcganOp.upsampleNearest(2);
        up.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 2, 3));
        try (NDManager scope = manager.newSubManager()) {
            assertThat(TorchRuntime.recordingGradients()).isFalse();
            NDArray x = scope.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(1, 1, 2, 3));
            NDArray y = up.forward(new ParameterStore(scope, false), new NDList(x), false).singletonOrThrow();
            assertThat(y.getShape()).isEqualTo(new Shape(1, 1, 4, 6));
            assertThat(y.toFloatArray()).containsExactly(1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 4, 4, 5, 5, 6, 6);
            assertThat(TorchRuntime.upsampleNearest2d(x, 2).toFloatArray()).containsExactly(y.toFloatArray());
        }
    }

    private record Pass(boolean recording, float[] output, float[] gradient) {
    }

    /** Forward {@code f} on the input, backward of {@code sum(f(x) * upstream)}: the input's gradient is the layer's backward of {@code upstream}. */
    private Pass pass(NDManager scope, Shape shape, float[] input, float[] upstream, UnaryOperator<NDArray> f) {
        NDArray x = scope.create(input, shape);
        x.setRequiresGradient(true);
        NDArray y;
        boolean recording;
        try (GradientCollector collector = engine.newGradientCollector()) {
            recording = TorchRuntime.recordingGradients();
            y = f.apply(x);
            NDArray w = scope.create(upstream, y.getShape());
            collector.backward(y.mul(w).sum());
        }
        return new Pass(recording, y.toFloatArray(), x.getGradient().toFloatArray());
    }

    private static void assertClose(float[] actual, float[] expected, String what) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        double worst = 0;
        for (int i = 0; i < actual.length; i++) {
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
        }
        assertThat(worst).as("largest difference of the %s", what).isLessThanOrEqualTo(1e-6);
    }
}
