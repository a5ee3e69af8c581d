package dev.ganpipe.ingest.publish;

import java.util.Locale;
import java.util.OptionalInt;

/**
 * How {@code gan ingest PATH...} shows progress on stderr while it publishes. Whatever the mode, a plain summary
 * (read, sent, rejected by reason) follows at the end.
 */
public enum ProgressMode {
    /** A bar when stderr is a terminal, plain lines otherwise (logs, CI, pipes). */
    AUTO,
    /** A bar redrawn in place (carriage returns): images, images/s, elapsed time and ETA. */
    BAR,
    /** The same figures as a new line every few seconds: readable in a log file. */
    LINES,
    /** No progress output, only the summary. */
    OFF;

    /**
     * Parses {@code auto}, {@code bar}, {@code lines} or {@code off}.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static ProgressMode parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--progress must be auto, bar, lines or off, but was '" + text + "'.", e);
        }
    }

    /**
     * The concrete mode: {@link #AUTO} becomes {@link #BAR} when stderr is a terminal (its width known) and
     * {@link #LINES} when it is not; the other modes stay as they are.
     *
     * @param stderrColumns the terminal's width when stderr is a terminal, empty otherwise
     */
    public ProgressMode resolve(OptionalInt stderrColumns) {
        if (this != AUTO) {
            return this;
        }
        return stderrColumns.isPresent() ? BAR : LINES;
    }
}
