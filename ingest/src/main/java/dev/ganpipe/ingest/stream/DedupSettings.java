package dev.ganpipe.ingest.stream;

import java.time.Duration;
import java.util.Objects;

/**
 * The optional duplicate filter of the normaliser.
 *
 * @param enabled whether images already seen within the window are held back from {@code images.train}
 * @param window how far apart (in record time) two copies of an image may be and still count as duplicates; also how
 *        long each image id is remembered, so it bounds the filter's memory (see docs/ingest.md)
 */
public record DedupSettings(boolean enabled, Duration window) {

    /** The default window: a re-run of the same folder within a day is recognised. */
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(24);

    public DedupSettings {
        Objects.requireNonNull(window, "window");
        if (!window.isPositive()) {
            throw new IllegalArgumentException("--dedup-window must be a positive duration such as 24h or 168h, but was " + window + ".");
        }
    }

    /** No filter: every accepted image goes to {@code images.train}. */
    public static DedupSettings off() {
        return new DedupSettings(false, DEFAULT_WINDOW);
    }
}
