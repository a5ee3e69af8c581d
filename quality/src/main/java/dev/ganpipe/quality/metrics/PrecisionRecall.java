package dev.ganpipe.quality.metrics;

import java.util.Arrays;

/**
 * Improved precision and recall (Kynkäänniemi et al. 2019): each set's manifold is the union of balls around its
 * vectors, each ball reaching the vector's k-th nearest neighbour in its own set. Precision is the share of
 * generated vectors inside the real manifold (are the fakes realistic?), recall the share of real vectors inside
 * the generated manifold (is the real variety covered?).
 */
public final class PrecisionRecall {

    /** The neighbour count of the paper. */
    public static final int DEFAULT_K = 3;

    /**
     * The result.
     *
     * @param precision share of generated vectors inside the real manifold, 0..1
     * @param recall share of real vectors inside the generated manifold, 0..1
     * @param k the neighbour count that set the ball radii
     */
    public record Result(double precision, double recall, int k) {
    }

    /**
     * One set's manifold: its vectors and the squared radius of each one's ball. Building it is the expensive half
     * of the work, so a fixed real set's manifold is built once and reused. Immutable.
     */
    public static final class Manifold {

        private final FeatureSet points;
        private final float[] squaredRadii;
        private final int k;

        private Manifold(FeatureSet points, float[] squaredRadii, int k) {
            this.points = points;
            this.squaredRadii = squaredRadii;
            this.k = k;
        }

        /** The vectors. */
        public FeatureSet points() {
            return points;
        }

        /** The neighbour count. */
        public int k() {
            return k;
        }

        /** The radius of vector {@code i}'s ball: the distance to its k-th nearest neighbour. */
        public double radius(int i) {
            return Math.sqrt(squaredRadii[i]);
        }

        /** The share of {@code queries} that fall inside at least one ball. */
        public double shareInside(FeatureSet queries) {
            float[] qNorms = queries.squaredNorms();
            float[] pNorms = points.squaredNorms();
            boolean[] inside = new boolean[queries.count()];
            PairwiseDots.run(queries, points, (row, column, dots, length) -> {
                if (inside[row]) {
                    return;
                }
                float qn = qNorms[row];
                for (int j = 0; j < length; j++) {
                    float d2 = qn + pNorms[column + j] - 2 * dots[j];
                    if (d2 <= squaredRadii[column + j]) {
                        inside[row] = true;
                        return;
                    }
                }
            });
            int count = 0;
            for (boolean b : inside) {
                if (b) {
                    count++;
                }
            }
            return count / (double) queries.count();
        }
    }

    private PrecisionRecall() {
    }

    /**
     * Builds a set's manifold with {@code k} neighbours.
     *
     * @throws IllegalArgumentException when the set has no more than {@code k} vectors
     */
    public static Manifold manifold(FeatureSet points, int k) {
        int n = points.count();
        if (k < 1 || n <= k) {
            throw new IllegalArgumentException("A k-nearest-neighbour manifold with k = " + k + " needs k >= 1 and more than k vectors, but the set has "
                    + n + "; evaluate more images.");
        }
        float[] norms = points.squaredNorms();
        float[] nearest = new float[n * k]; // per row: the k smallest squared distances so far, ascending
        Arrays.fill(nearest, Float.POSITIVE_INFINITY);
        PairwiseDots.run(points, points, (row, column, dots, length) -> {
            int base = row * k;
            float rn = norms[row];
            for (int j = 0; j < length; j++) {
                if (column + j == row) {
                    continue;
                }
                float d2 = Math.max(0f, rn + norms[column + j] - 2 * dots[j]);
                if (d2 < nearest[base + k - 1]) {
                    int pos = k - 1;
                    while (pos > 0 && nearest[base + pos - 1] > d2) {
                        nearest[base + pos] = nearest[base + pos - 1];
                        pos--;
                    }
                    nearest[base + pos] = d2;
                }
            }
        });
        float[] radii = new float[n];
        for (int i = 0; i < n; i++) {
            radii[i] = nearest[i * k + k - 1];
        }
        return new Manifold(points, radii, k);
    }

    /** Precision and recall of {@code generated} against {@code real}, building both manifolds. */
    public static Result between(FeatureSet real, FeatureSet generated, int k) {
        return between(manifold(real, k), generated);
    }

    /** Precision and recall against a real manifold built beforehand. */
    public static Result between(Manifold real, FeatureSet generated) {
        Manifold fake = manifold(generated, real.k());
        return new Result(real.shareInside(generated), fake.shareInside(real.points()), real.k());
    }
}
