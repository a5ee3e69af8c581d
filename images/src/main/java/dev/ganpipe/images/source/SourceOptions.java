package dev.ganpipe.images.source;

import dev.ganpipe.images.normalize.ClassList;
import java.util.Objects;

/**
 * What every reader needs to know.
 *
 * @param classes maps folder names and {@code labels.csv} entries to class indices
 * @param maxBytes readers read at most one byte more than this from any file (see {@link SourceImage})
 */
public record SourceOptions(ClassList classes, int maxBytes) {

    public SourceOptions {
        Objects.requireNonNull(classes, "classes");
        if (maxBytes < 1 || maxBytes == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("The per-file byte limit must be between 1 and " + (Integer.MAX_VALUE - 1) + ", but was " + maxBytes + ".");
        }
    }
}
