package dev.ganpipe.client;

import java.util.Locale;

/** The formats of {@code GET /v1/generate} ({@code format=}). */
public enum GenerateFormat {
    /** One PNG of the images in a grid, ceil(sqrt(count)) columns unless asked otherwise. */
    GRID,
    /** One PNG; count 1. */
    PNG,
    /** A zip of one PNG per image. */
    ZIP,
    /** A NumPy {@code .npy} file, uint8 [N, C, H, W]. */
    NPY;

    /** The value of the {@code format} query parameter. */
    public String query() {
        return name().toLowerCase(Locale.ROOT);
    }
}
