package dev.ganpipe.quality;

/**
 * Receives one line per step of long work (classifier epochs, feature extraction, metrics), so that a command
 * line can print it and a service can log it.
 */
@FunctionalInterface
public interface Progress {

    /** Reports one finished or started step, as a sentence. */
    void report(String line);

    /** Discards every line. */
    static Progress silent() {
        return line -> { };
    }
}
