package dev.ganpipe.common.time;

import java.time.Duration;

/**
 * Waits; injected beside a {@link java.time.Clock} so that tests of pacing and rate limits advance a
 * {@link ManualClock} instead of sleeping.
 */
@FunctionalInterface
public interface Sleeper {

    /** Waits for {@code duration} (or until interrupted). */
    void sleep(Duration duration) throws InterruptedException;

    /** Really sleeps. */
    static Sleeper system() {
        return Thread::sleep;
    }
}
