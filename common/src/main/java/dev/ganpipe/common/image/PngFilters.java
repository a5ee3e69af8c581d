package dev.ganpipe.common.image;

/** What PNG's row filters share between {@link PngEncoder} and {@link PngDecoder}. */
final class PngFilters {

    private PngFilters() {
    }

    /**
     * The Paeth predictor of filter type 4 (PNG specification, section 9.4): whichever of left {@code a}, above
     * {@code b} and upper left {@code c} is closest to {@code a + b - c}, ties going to left, then above.
     */
    static int paeth(int a, int b, int c) {
        int p = a + b - c;
        int pa = Math.abs(p - a);
        int pb = Math.abs(p - b);
        int pc = Math.abs(p - c);
        if (pa <= pb && pa <= pc) {
            return a;
        }
        return pb <= pc ? b : c;
    }
}
