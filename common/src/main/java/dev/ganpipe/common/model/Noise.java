package dev.ganpipe.common.model;

/**
 * The generator's input noise for a seed: standard-normal floats from {@link java.util.Random#nextGaussian()} of a
 * {@link java.util.Random} (computed by {@link NoiseRandom}, the same algorithm)
 * seeded with {@link #streamSeed(long) the seed's SplitMix64 mix}. The JDK specifies both algorithms, so the same seed
 * gives the same noise on every JVM and in every service (the trainer's fixed-noise grids and the generator service's
 * {@code seed=} agree).
 *
 * <p>Why the mix: {@code new Random(s)} for neighbouring seeds starts from neighbouring states of its linear
 * congruential generator, so the first values of seeds 0, 1, 2, ... are nearly equal (over seeds 0 to 999 the first
 * value has mean 0.88 and standard deviation 0.68, not 0 and 1). Continuous mode and clients asking for one image per
 * seed use exactly such seeds, and their images came from a skewed corner of the noise space.
 */
public final class Noise {

    private Noise() {
    }

    /** {@code count * dim} standard-normal floats, row-major [count, dim]. */
    public static float[] gaussian(long seed, int count, int dim) {
        if (count < 0 || dim < 1) {
            throw new IllegalArgumentException("Noise needs count >= 0 and dim >= 1, but got count " + count + " and dim " + dim + ".");
        }
        // java.util.Random's very numbers, without its atomic seed: a quarter of the time, and the service draws
        // the noise of every request on the request's thread.
        return new NoiseRandom(streamSeed(seed)).gaussians(Math.multiplyExact(count, dim));
    }

    /**
     * The seed of the {@link java.util.Random} behind {@code seed}'s noise: SplitMix64's finaliser of it (Steele, Lea and Flood
     * 2014), which sends neighbouring seeds to unrelated states. Clients that reproduce the noise outside the JVM apply it
     * before seeding {@code java.util.Random}'s algorithm.
     */
    public static long streamSeed(long seed) {
        long z = seed + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
