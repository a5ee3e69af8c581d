package dev.ganpipe.trainer;

import dev.ganpipe.common.image.ImageShape;
import java.util.Random;

/** Canonical 28x28 grey images for the trainer's broker tests: a bright square of random size and place on black. */
final class Squares {

    static final ImageShape SHAPE = ImageShape.FASHION_MNIST;

    private Squares() {
    }

    /**
     * The pixels of one square, 6 to 15 pixels wide, placed within the top-left {@code extent x extent} pixels (28 for
     * anywhere; less keeps the last rows and columns black for a caller's own marks).
     */
    static byte[] pixels(Random random, int extent) {
        byte[] px = new byte[SHAPE.values()];
        int size = 6 + random.nextInt(10);
        int x0 = random.nextInt(extent - size);
        int y0 = random.nextInt(extent - size);
        for (int y = y0; y < y0 + size; y++) {
            for (int x = x0; x < x0 + size; x++) {
                px[y * 28 + x] = (byte) 220;
            }
        }
        return px;
    }
}
