package dev.ganpipe.images.source;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A collection of images read one at a time, so that a 60,000-image dataset never sits in memory at once. Not
 * thread-safe; close it when done.
 */
public interface ImageSource extends AutoCloseable {

    /** What is being read, for progress lines and errors, e.g. the path. */
    String description();

    /** How many images the source holds, when known before reading them (for progress and ETA). */
    OptionalLong size();

    /**
     * The next image.
     *
     * @return empty after the last image
     * @throws IOException when the underlying file cannot be read or is corrupt (e.g. an IDX file that ends early)
     */
    Optional<SourceImage> next() throws IOException;

    /** What a user should know about the source before its images are used (e.g. a labels.csv naming missing files). */
    default List<String> notes() {
        return List.of();
    }

    @Override
    void close() throws IOException;
}
