package dev.ganpipe.quality.classifier;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import java.util.Random;

/**
 * He-normal weights ({@code N(0, 2 / fan_in)}) drawn in Java from a seeded {@link Random}: the engine's own RNG
 * is global state, shared with the trainer, and differs between CPU and GPU. The trainer's seeded initialiser draws
 * from a fixed {@code N(mean, std)} (DCGAN's) instead; here the spread follows each layer's fan-in, so the
 * classifier's ReLU layers keep their signal's scale from the first step.
 */
final class SeededHeNormalInitializer implements Initializer {

    private final Random random;

    SeededHeNormalInitializer(Random random) {
        this.random = random;
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        if (dataType != DataType.FLOAT32) {
            throw new IllegalArgumentException("The classifier's weights are float32, but " + dataType + " was requested.");
        }
        long fanIn = shape.dimension() < 2 ? shape.size() : shape.size() / shape.get(0);
        float std = (float) Math.sqrt(2.0 / Math.max(1, fanIn));
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = std * (float) random.nextGaussian();
        }
        return manager.create(values, shape);
    }
}
