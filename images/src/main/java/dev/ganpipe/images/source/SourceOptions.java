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

    /** A class list that names no real class, so labels pass through as written (a number stays that number). */
    private static final ClassList AS_WRITTEN = ClassList.parse("labels-as-written-in-the-data");

    /** Options that leave labels as the data writes them, for code that decides the classes from the labels. */
    public static SourceOptions labelsAsWritten(int maxBytes) {
        return new SourceOptions(AS_WRITTEN, maxBytes);
    }

    public SourceOptions {
        Objects.requireNonNull(classes, "classes");
        if (maxBytes < 1 || maxBytes == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("The per-file byte limit must be between 1 and " + (Integer.MAX_VALUE - 1) + ", but was " + maxBytes + ".");
        }
    }
}
