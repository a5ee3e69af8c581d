package dev.ganpipe.trainer.gan;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the layer and optimiser tests run on: the PyTorch engine, grad mode off on the test's thread (as the trainer
 * sets it), and a CPU manager opened before each test and closed after it, so no test leaks native memory into the
 * next. A subclass's own {@code @BeforeEach} runs after this one and may use {@link #manager}.
 */
abstract class TorchCpuFixture {

    protected Engine engine;
    protected NDManager manager;

    @BeforeEach
    final void openTorchCpuManager() {
        engine = TorchRuntime.engine();
        TorchRuntime.gradModeOffOnThisThread();
        manager = NDManager.newBaseManager(Device.cpu(), TorchRuntime.ENGINE_NAME);
    }

    @AfterEach
    final void closeTorchCpuManager() {
        manager.close();
    }

    /** {@code n} draws of a standard normal, as floats: inputs and upstream gradients for the comparisons. */
    static float[] gaussians(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
