package dev.ganpipe.trainer.gan;

import java.util.Random;

/** Test data: bright squares of random size and place on a dark background, NCHW in [-1, 1]. */
final class SyntheticImages {

    private SyntheticImages() {}

    static float[] squares(Random random, int count, int channels, int size) {
        float[] out = new float[count * channels * size * size];
        java.util.Arrays.fill(out, -1f);
        for (int n = 0; n < count; n++) {
            int side = size / 4 + random.nextInt(size / 3);
            int top = random.nextInt(size - side);
            int left = random.nextInt(size - side);
            for (int c = 0; c < channels; c++) {
                int base = (n * channels + c) * size * size;
                for (int y = top; y < top + side; y++) {
                    for (int x = left; x < left + side; x++) {
                        out[base + y * size + x] = 1f;
                    }
                }
            }
        }
        return out;
    }
}
