package dev.ganpipe.common.model;

/**
 * The project's noise generator (the trainer's training noise and replay order, and {@link Noise}'s seeded noise):
 * exactly {@link java.util.Random}'s specified algorithm (the 48-bit linear
 * congruential generator and the polar method of {@code nextGaussian}), with its whole state readable and
 * restorable, so a checkpoint can continue the noise stream where it stopped. {@code java.util.Random} hides its
 * state; reproducing its documented algorithm keeps the stream identical to the one the trainer used before.
 *
 * <p>Not thread-safe (that is what makes it four times faster than {@code java.util.Random}, whose seed is an atomic):
 * one per thread, or serialised as the training core does.
 */
public final class NoiseRandom {

    private static final long MULTIPLIER = 0x5DEECE66DL;
    private static final long ADDEND = 0xBL;
    private static final long MASK = (1L << 48) - 1;
    private static final double DOUBLE_UNIT = 0x1.0p-53;

    private long seed;
    private double nextNextGaussian;
    private boolean haveNextNextGaussian;

    /**
     * The complete state.
     *
     * @param seed the 48-bit generator state (not the seed passed to the constructor, which is scrambled)
     * @param haveNextNextGaussian whether a second polar-method value is pending
     * @param nextNextGaussian that pending value (0 when none)
     */
    public record State(long seed, boolean haveNextNextGaussian, double nextNextGaussian) {

        /** Validates the state's range. */
        public State {
            if ((seed & ~MASK) != 0) {
                throw new IllegalArgumentException(
                        "A noise generator state must fit in 48 bits, but was " + seed + "; the checkpoint is damaged.");
            }
        }
    }

    /** The same stream as {@code new java.util.Random(seed)}. */
    public NoiseRandom(long seed) {
        this.seed = (seed ^ MULTIPLIER) & MASK;
    }

    /** A generator that continues from {@code state}. */
    public static NoiseRandom restore(State state) {
        NoiseRandom random = new NoiseRandom(0);
        random.seed = state.seed();
        random.haveNextNextGaussian = state.haveNextNextGaussian();
        random.nextNextGaussian = state.haveNextNextGaussian() ? state.nextNextGaussian() : 0;
        return random;
    }

    /** The current state; {@link #restore} continues the stream from it. */
    public State state() {
        return new State(seed, haveNextNextGaussian, haveNextNextGaussian ? nextNextGaussian : 0);
    }

    /** As {@link java.util.Random#nextDouble()}. */
    public double nextDouble() {
        return (((long) next(26) << 27) + next(27)) * DOUBLE_UNIT;
    }

    /** As {@link java.util.Random#nextLong()}. */
    public long nextLong() {
        return ((long) next(32) << 32) + next(32);
    }

    /** As {@link java.util.Random#nextInt(int)}: uniform in {@code [0, bound)}, by the same rejection rule. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("The bound of nextInt must be positive, but was " + bound + ".");
        }
        int r = next(31);
        int m = bound - 1;
        if ((bound & m) == 0) {
            return (int) ((bound * (long) r) >> 31);
        }
        for (int u = r; u - (r = u % bound) + m < 0; u = next(31)) {
            // rejected: u fell in the incomplete last block of bound values
        }
        return r;
    }

    /** As {@link java.util.Random#nextGaussian()}. */
    public double nextGaussian() {
        if (haveNextNextGaussian) {
            haveNextNextGaussian = false;
            return nextNextGaussian;
        }
        double v1;
        double v2;
        double s;
        do {
            v1 = 2 * nextDouble() - 1;
            v2 = 2 * nextDouble() - 1;
            s = v1 * v1 + v2 * v2;
        } while (s >= 1 || s == 0);
        double multiplier = StrictMath.sqrt(-2 * StrictMath.log(s) / s);
        nextNextGaussian = v2 * multiplier;
        haveNextNextGaussian = true;
        return v1 * multiplier;
    }

    /** {@code n} values of {@code (float) nextGaussian()}. */
    public float[] gaussians(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) nextGaussian();
        }
        return values;
    }

    private int next(int bits) {
        seed = (seed * MULTIPLIER + ADDEND) & MASK;
        return (int) (seed >>> (48 - bits));
    }
}
