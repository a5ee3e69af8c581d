package dev.ganpipe.trainer.gan;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The few PyTorch-specific calls DJL's engine-neutral API lacks, kept in one place.
 *
 * <p>Call {@link #engine()} first: the {@code JniUtils} methods need the native library that
 * loading the engine brings in.
 */
final class TorchRuntime {

    /** DJL's name of the PyTorch engine. */
    static final String ENGINE_NAME = "PyTorch";

    private TorchRuntime() {}

    /** Loads (once per JVM) and returns DJL's PyTorch engine. */
    static Engine engine() {
        return Engine.getEngine(ENGINE_NAME);
    }

    /**
     * Turns PyTorch grad mode off on the calling thread. Grad mode is thread-local and on by default
     * on threads other than the one that loaded the engine; left on, every forward would record a
     * graph and in-place updates of parameters would fail.
     */
    static void gradModeOffOnThisThread() {
        JniUtils.setGradMode(false);
    }

    /** Whether PyTorch records a graph on this thread now (inside a {@code GradientCollector}). */
    static boolean recordingGradients() {
        return JniUtils.isGradMode();
    }

    /**
     * Nearest-neighbour upsampling of axes 2 and 3 of an NCHW array by an integer factor with libtorch's
     * {@code upsample_nearest2d} ({@code F.interpolate(x, size, mode="nearest")}), whose backward is one dedicated
     * kernel. For an integer factor it picks source pixel {@code floor(i / factor)}, exactly what repeating each
     * pixel does.
     */
    static NDArray upsampleNearest2d(NDArray x, int factor) {
        long[] size = {x.getShape().get(2) * factor, x.getShape().get(3) * factor};
        return JniUtils.interpolate(asTorch(x), size, 0, false); // mode 0: nearest; align_corners is ignored for it
    }

    /** Zeroes the accumulated gradient of a parameter, if it has one ({@code grad.zero_()}). */
    static void zeroGradient(NDArray parameter) {
        JniUtils.zeroGrad(asTorch(parameter));
    }

    /** Sets PyTorch's intra-op thread count for the whole process ({@code torch::set_num_threads}). */
    static void setIntraOpThreads(int threads) {
        JniUtils.setNumThreads(threads);
    }

    /** PyTorch's current intra-op thread count. */
    static int intraOpThreads() {
        return JniUtils.getNumThreads();
    }

    private static PtNDArray asTorch(NDArray array) {
        if (array instanceof PtNDArray torch) {
            return torch;
        }
        throw new IllegalStateException(
                "Expected a PyTorch NDArray but got " + array.getClass().getName()
                        + "; create the networks with an NDManager of the PyTorch engine.");
    }
}
