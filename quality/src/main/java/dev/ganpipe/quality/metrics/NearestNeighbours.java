package dev.ganpipe.quality.metrics;

import java.util.Arrays;

/**
 * The nearest reference vector of every query vector, by Euclidean distance, found by exhaustive search. The
 * reference may arrive in chunks ({@link #add}), so that a large set (60,000 images of 784 pixels) is never held
 * as floats all at once. Not thread-safe; one search per instance.
 */
public final class NearestNeighbours {

    private final FeatureSet queries;
    private final float[] bestSquared;
    private final int[] bestIndex;
    private int seen;

    /** A search for the neighbours of {@code queries}; add the reference with {@link #add}. */
    public NearestNeighbours(FeatureSet queries) {
        this.queries = queries;
        this.bestSquared = new float[queries.count()];
        this.bestIndex = new int[queries.count()];
        Arrays.fill(bestSquared, Float.POSITIVE_INFINITY);
        Arrays.fill(bestIndex, -1);
    }

    /**
     * Searches the next chunk of the reference; its vectors are numbered on from the chunks added before.
     *
     * @throws IllegalArgumentException when the chunk's dimension is not the queries'
     */
    public NearestNeighbours add(FeatureSet chunk) {
        float[] queryNorms = queries.squaredNorms();
        float[] chunkNorms = chunk.squaredNorms();
        int offset = seen;
        PairwiseDots.run(queries, chunk, (row, column, dots, length) -> {
            float best = bestSquared[row];
            int index = bestIndex[row];
            for (int j = 0; j < length; j++) {
                float d = queryNorms[row] + chunkNorms[column + j] - 2 * dots[j];
                if (d < best) {
                    best = d;
                    index = offset + column + j;
                }
            }
            bestSquared[row] = best;
            bestIndex[row] = index;
        });
        seen += chunk.count();
        return this;
    }

    /** The index of each query's nearest reference vector (-1 before any reference was added). */
    public int[] indices() {
        return bestIndex.clone();
    }

    /**
     * Each query's distance to its nearest reference vector. Computed as |a|² + |b|² - 2a·b in floats, so a
     * verbatim copy comes out as a tiny number rather than exactly 0 (negative rounding is clamped to 0).
     */
    public double[] distances() {
        double[] out = new double[bestSquared.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.sqrt(Math.max(0, bestSquared[i]));
        }
        return out;
    }
}
