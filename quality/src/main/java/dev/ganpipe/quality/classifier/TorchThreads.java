package dev.ganpipe.quality.classifier;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/** The few PyTorch-specific calls DJL's engine-neutral API lacks (the same ones the trainer needs). */
final class TorchThreads {

    /** DJL's name of the PyTorch engine. */
    static final String ENGINE = "PyTorch";

    private TorchThreads() {
    }

    /** Loads (once per JVM) and returns the PyTorch engine; the JNI calls below need its native library. */
    static Engine engine() {
        return Engine.getEngine(ENGINE);
    }

    /**
     * Turns grad mode off on the calling thread: it is per thread and on by default on threads other than the one
     * that loaded the engine, and left on, every inference forward would record a graph.
     */
    static void gradModeOff() {
        JniUtils.setGradMode(false);
    }

    /** Zeroes a parameter's accumulated gradient, if it has one. */
    static void zeroGradient(NDArray parameter) {
        if (!(parameter instanceof PtNDArray torch)) {
            throw new IllegalStateException("Expected a PyTorch NDArray but got " + parameter.getClass().getName()
                    + "; the classifier must be built with an NDManager of the PyTorch engine.");
        }
        JniUtils.zeroGrad(torch);
    }
}
