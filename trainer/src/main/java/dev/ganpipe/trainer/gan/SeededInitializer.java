package dev.ganpipe.trainer.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import java.util.Random;

/**
 * Fills parameters with {@code N(mean, std)} values drawn in Java from a seeded {@link Random}, so
 * the same seed gives the same weights on any device and engine build (the engine's own RNG is
 * global state and differs between CPU and GPU).
 */
final class SeededInitializer implements Initializer {

    private final Random random;
    private final float mean;
    private final float std;

    /** Draws from {@code random}, which the caller may share to get one deterministic stream. */
    SeededInitializer(Random random, float mean, float std) {
        this.random = random;
        this.mean = mean;
        this.std = std;
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        if (dataType != DataType.FLOAT32) {
            throw new IllegalArgumentException(
                    "SeededInitializer only fills float32 parameters, but " + dataType
                            + " was requested; initialise the block with DataType.FLOAT32.");
        }
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = mean + std * (float) random.nextGaussian();
        }
        return manager.create(values, shape);
    }
}
