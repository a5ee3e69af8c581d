package dev.ganpipe.quality.metrics;

import java.util.Objects;

/**
 * {@code count} feature vectors of {@code dim} floats, row-major. The array is owned by this object once passed in;
 * callers must not modify it. Safe to share between threads.
 */
public final class FeatureSet {

    private final float[] values;
    private final int count;
    private final int dim;
    private volatile float[] transposed;
    private volatile float[] squaredNorms;

    /**
     * @param values {@code count * dim} floats, vector after vector
     * @throws IllegalArgumentException when the length does not match or a value is not finite
     */
    public FeatureSet(float[] values, int count, int dim) {
        Objects.requireNonNull(values, "values");
        if (count < 1 || dim < 1 || (long) count * dim != values.length) {
            throw new IllegalArgumentException("A feature set of " + count + " vectors of " + dim + " values needs " + (long) count * dim
                    + " floats and at least one vector, but got " + values.length + ".");
        }
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException("Feature value " + (i % dim) + " of vector " + (i / dim) + " is " + values[i]
                        + "; features must be finite (did the classifier see NaN pixels?).");
            }
        }
        this.values = values;
        this.count = count;
        this.dim = dim;
    }

    /** The number of vectors. */
    public int count() {
        return count;
    }

    /** The length of each vector. */
    public int dim() {
        return dim;
    }

    /** Value {@code k} of vector {@code i}. */
    public float get(int i, int k) {
        return values[i * dim + k];
    }

    /** The vectors at {@code rows}, in that order. */
    public FeatureSet rows(int[] rows) {
        float[] out = new float[Math.multiplyExact(rows.length, dim)];
        for (int n = 0; n < rows.length; n++) {
            System.arraycopy(values, rows[n] * dim, out, n * dim, dim);
        }
        return new FeatureSet(out, rows.length, dim);
    }

    /** Copies every value into {@code target} from {@code offset} on. */
    public void copyInto(float[] target, int offset) {
        System.arraycopy(values, 0, target, offset, values.length);
    }

    /** The raw array (not a copy): for the kernels of this package. */
    float[] values() {
        return values;
    }

    /** Column-major copy ({@code dim x count}), so that one vector against all others is a vectorisable loop. */
    float[] transposed() {
        float[] t = transposed;
        if (t == null) {
            t = new float[values.length];
            for (int i = 0; i < count; i++) {
                for (int k = 0; k < dim; k++) {
                    t[k * count + i] = values[i * dim + k];
                }
            }
            transposed = t;
        }
        return t;
    }

    /** The squared Euclidean length of every vector. */
    float[] squaredNorms() {
        float[] n = squaredNorms;
        if (n == null) {
            n = new float[count];
            for (int i = 0; i < count; i++) {
                double sum = 0;
                for (int k = 0; k < dim; k++) {
                    double v = values[i * dim + k];
                    sum += v * v;
                }
                n[i] = (float) sum;
            }
            squaredNorms = n;
        }
        return n;
    }
}
