package dev.ganpipe.ingest.publish;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalLong;

/** Prints a progress line (count, images/s, ETA when the total is known) at most once per interval. */
final class ProgressReporter {

    private final PrintStream out;
    private final Clock clock;
    private final OptionalLong total;
    private final Duration interval;
    private final Instant start;
    private Instant lastPrint;

    ProgressReporter(PrintStream out, Clock clock, OptionalLong total, Duration interval) {
        this.out = out;
        this.clock = clock;
        this.total = total;
        this.interval = interval;
        this.start = clock.instant();
        this.lastPrint = start;
    }

    /** Reports progress if the interval has passed since the last line. */
    void update(long read, long sent, boolean dryRun) {
        Instant now = clock.instant();
        if (Duration.between(lastPrint, now).compareTo(interval) < 0) {
            return;
        }
        lastPrint = now;
        double seconds = Duration.between(start, now).toNanos() / 1e9;
        double rate = seconds > 0 ? read / seconds : 0;
        StringBuilder line = new StringBuilder("ingest: ").append(read);
        total.ifPresent(t -> line.append('/').append(t));
        line.append(" read");
        if (!dryRun) {
            line.append(", ").append(sent).append(" acknowledged");
        }
        line.append(String.format(Locale.ROOT, ", %.0f images/s", rate));
        if (total.isPresent() && rate > 0) {
            long eta = Math.round(Math.max(0, total.getAsLong() - read) / rate);
            line.append(String.format(Locale.ROOT, ", ETA %d:%02d", eta / 60, eta % 60));
        }
        out.println(line);
    }

    /** Seconds since the reporter was created. */
    Duration elapsed() {
        return Duration.between(start, clock.instant());
    }
}
