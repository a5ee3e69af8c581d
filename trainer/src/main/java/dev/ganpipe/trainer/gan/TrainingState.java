package dev.ganpipe.trainer.gan;

import dev.ganpipe.common.model.NoiseRandom;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a {@link GanTrainingCore} needs to continue training exactly where it was: every parameter and
 * buffer of both networks (BatchNorm running statistics included) and of the EMA generator, both Adam optimisers'
 * moments and update counts, the step and the training-noise state. Engine-neutral (plain float arrays), so it can
 * be written to disk and read back on another device.
 *
 * @param step completed training steps
 * @param noise state of the training-noise generator
 * @param generatorUpdates Adam update count (t) of the generator
 * @param discriminatorUpdates Adam update count (t) of the discriminator
 * @param emaUpdates updates applied to the EMA generator (drives its warm-up), 0 when EMA is off
 * @param tensors named tensors in a stable order; names are {@code <group>/<parameter>}, e.g.
 *     {@code generator/01Linear_weight}, {@code adam.generator.m/01Linear_weight}
 */
public record TrainingState(
        long step,
        NoiseRandom.State noise,
        long generatorUpdates,
        long discriminatorUpdates,
        long emaUpdates,
        Map<String, Tensor> tensors) {

    /** Tensor group of the generator's parameters and buffers. */
    public static final String GENERATOR = "generator";
    /** Tensor group of the discriminator's parameters and buffers. */
    public static final String DISCRIMINATOR = "discriminator";
    /** Tensor group of the EMA generator. */
    public static final String EMA_GENERATOR = "ema.generator";
    /** The augmentation strength: {@code [p, sum of signs, count]} of the adaptive controller, when augmentation is on. */
    public static final String AUGMENT_STRENGTH = "augment.strength";

    /** Validates and freezes the tensor map (its order is kept). */
    public TrainingState {
        Objects.requireNonNull(noise, "noise state is null; take the state from NoiseRandom.state().");
        if (step < 0 || generatorUpdates < 0 || discriminatorUpdates < 0 || emaUpdates < 0) {
            throw new IllegalArgumentException("Step and update counts must not be negative, but were step " + step
                    + ", generator updates " + generatorUpdates + ", discriminator updates " + discriminatorUpdates
                    + ", EMA updates " + emaUpdates + ".");
        }
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    /**
     * One named tensor's values, row-major.
     *
     * @param shape dimensions
     * @param values {@code product(shape)} floats
     */
    public record Tensor(long[] shape, float[] values) {

        /** Checks that the values fill the shape. */
        public Tensor {
            long size = 1;
            for (long d : shape) {
                if (d < 0) {
                    throw new IllegalArgumentException("Tensor dimensions must not be negative, but the shape was "
                            + Arrays.toString(shape) + ".");
                }
                size = Math.multiplyExact(size, d);
            }
            if (values.length != size) {
                throw new IllegalArgumentException("A tensor of shape " + Arrays.toString(shape) + " needs " + size
                        + " values, but has " + values.length + ".");
            }
        }

        /** The shape as text, e.g. {@code [16, 1, 4, 4]}. */
        public String shapeText() {
            return Arrays.toString(shape);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(values, t.values);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(shape) + Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return "Tensor" + shapeText();
        }
    }
}
