package dev.ganpipe.ingest.publish;

import dev.ganpipe.common.time.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalDouble;

/**
 * Paces work to at most {@code rate} items per second: item n may start at {@code start + n / rate}. Time that
 * passes on its own (slow reads) counts towards the budget, so the pace holds on average without bursts above
 * one item's worth.
 */
final class Throttle {

    private final OptionalDouble rate;
    private final Clock clock;
    private final Sleeper sleeper;
    private Instant start;
    private long count;

    Throttle(OptionalDouble rate, Clock clock, Sleeper sleeper) {
        this.rate = rate;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Waits until the next item may start. */
    void acquire() throws InterruptedException {
        if (rate.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        if (start == null) {
            start = now;
        }
        Instant due = start.plusNanos(Math.round(count * 1e9 / rate.getAsDouble()));
        count++;
        Duration wait = Duration.between(now, due);
        if (wait.isPositive()) {
            sleeper.sleep(wait);
        }
    }
}
