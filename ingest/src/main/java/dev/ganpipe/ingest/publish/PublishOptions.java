package dev.ganpipe.ingest.publish;

import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * How {@code gan ingest PATH...} publishes.
 *
 * @param limit stop after this many images (over all paths)
 * @param rate at most this many images per second
 * @param dryRun read and validate with the normaliser, produce nothing
 * @param progress how progress is shown on stderr
 */
public record PublishOptions(OptionalLong limit, OptionalDouble rate, boolean dryRun, ProgressMode progress) {

    public PublishOptions {
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(rate, "rate");
        Objects.requireNonNull(progress, "progress");
        if (limit.isPresent() && limit.getAsLong() < 0) {
            throw new IllegalArgumentException("--limit must be 0 or more, but was " + limit.getAsLong() + ".");
        }
        if (rate.isPresent() && !(rate.getAsDouble() > 0 && Double.isFinite(rate.getAsDouble()))) {
            throw new IllegalArgumentException("--rate must be a positive number of images per second, but was " + rate.getAsDouble() + ".");
        }
    }

    /** No limit, no throttle, really produce, progress as fits stderr. */
    public static PublishOptions unlimited() {
        return new PublishOptions(OptionalLong.empty(), OptionalDouble.empty(), false, ProgressMode.AUTO);
    }

    /** These options with another progress mode. */
    public PublishOptions withProgress(ProgressMode mode) {
        return new PublishOptions(limit, rate, dryRun, mode);
    }
}
