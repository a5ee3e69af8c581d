package dev.ganpipe.common.model;

import java.util.Random;

/**
 * The generator's input noise for a seed: standard-normal floats from {@link Random#nextGaussian()}, whose
 * algorithm the JDK specifies, so the same seed gives the same noise on every JVM and in every service (the
 * trainer's fixed-noise grids and the generator service's {@code seed=} agree).
 */
public final class Noise {

    private Noise() {
    }

    /** {@code count * dim} standard-normal floats, row-major [count, dim]. */
    public static float[] gaussian(long seed, int count, int dim) {
        if (count < 0 || dim < 1) {
            throw new IllegalArgumentException("Noise needs count >= 0 and dim >= 1, but got count " + count + " and dim " + dim + ".");
        }
        Random random = new Random(seed);
        float[] z = new float[count * dim];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) random.nextGaussian();
        }
        return z;
    }
}
