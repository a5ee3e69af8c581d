package dev.ganpipe.quality.metrics;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * All dot products between the vectors of two sets, handed out row by row in tiles of columns, computed in
 * parallel over blocks of rows. A tile of the second set (transposed, {@value #TILE} columns) stays in cache while
 * a block of {@value #ROW_BLOCK} rows runs against it, and the inner loop is an axpy the JIT vectorises. Each row
 * is handled by one thread from start to end, so per-row state needs no locking.
 */
final class PairwiseDots {

    /** Columns per tile: 1024 x 128 floats = 512 KiB, about an L2 cache. */
    static final int TILE = 1024;
    /** Rows that share one tile before moving on. */
    static final int ROW_BLOCK = 32;

    /** Receives the dots of row {@code row} against columns {@code [column, column + length)}. */
    @FunctionalInterface
    interface TileConsumer {
        void accept(int row, int column, float[] dots, int length);
    }

    private PairwiseDots() {
    }

    /** Calls {@code consumer} for every row of {@code a} and every tile of {@code b}'s vectors. */
    static void run(FeatureSet a, FeatureSet b, TileConsumer consumer) {
        if (a.dim() != b.dim()) {
            throw new IllegalArgumentException("Both feature sets must have the same dimension, but have " + a.dim() + " and " + b.dim() + ".");
        }
        float[] av = a.values();
        float[] bt = b.transposed();
        int d = a.dim();
        int nb = b.count();
        int blocks = (a.count() + ROW_BLOCK - 1) / ROW_BLOCK;
        IntStream.range(0, blocks).parallel().forEach(block -> {
            float[] acc = new float[TILE];
            int r0 = block * ROW_BLOCK;
            int r1 = Math.min(a.count(), r0 + ROW_BLOCK);
            for (int c0 = 0; c0 < nb; c0 += TILE) {
                int len = Math.min(TILE, nb - c0);
                for (int i = r0; i < r1; i++) {
                    Arrays.fill(acc, 0, len, 0f);
                    int ai = i * d;
                    for (int k = 0; k < d; k++) {
                        float aik = av[ai + k];
                        if (aik == 0f) {
                            continue; // ReLU features are often zero: skip the whole column
                        }
                        int bk = k * nb + c0;
                        for (int j = 0; j < len; j++) {
                            acc[j] += aik * bt[bk + j];
                        }
                    }
                    consumer.accept(i, c0, acc, len);
                }
            }
        });
    }
}
