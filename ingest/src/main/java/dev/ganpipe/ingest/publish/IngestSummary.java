package dev.ganpipe.ingest.publish;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one {@code gan ingest PATH...} run did.
 *
 * @param read images read from the sources
 * @param sent images acknowledged by the broker on {@code images.raw} (0 in a dry run)
 * @param valid images the normaliser accepted (dry run only; 0 when publishing, since the stream judges them)
 * @param rejected rejected images by reason code: in a dry run everything the normaliser refused; when publishing,
 *        files over the byte limit, which are not sent
 * @param dryRun whether nothing was produced
 * @param elapsed wall time of the run
 */
public record IngestSummary(long read, long sent, long valid, Map<String, Long> rejected, boolean dryRun, Duration elapsed) {

    public IngestSummary {
        rejected = Map.copyOf(rejected);
    }

    /** All rejected images. */
    public long rejectedTotal() {
        return rejected.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Images read per second of wall time. */
    public double imagesPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds > 0 ? read / seconds : 0;
    }

    /** The summary lines the CLI prints. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "ingest: %s %d images in %.1f s (%.0f images/s)", dryRun ? "dry run read" : "read", read,
                elapsed.toNanos() / 1e9, imagesPerSecond()));
        if (dryRun) {
            out.append(String.format(Locale.ROOT, "; %d valid, %d would be rejected, nothing was produced", valid, rejectedTotal()));
        } else {
            out.append(String.format(Locale.ROOT, "; %d sent to the raw topic", sent));
            if (rejectedTotal() > 0) {
                out.append(String.format(Locale.ROOT, ", %d not sent", rejectedTotal()));
            }
        }
        out.append('\n');
        new TreeMap<>(rejected).forEach((reason, n) -> out.append(String.format(Locale.ROOT, "  rejected %-20s %d%n", reason, n)));
        return out.toString();
    }
}
