package dev.ganpipe.ingest.publish;

import java.time.Duration;

/** Waits; injected so that tests of the rate limit advance a fake clock instead of sleeping. */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration duration) throws InterruptedException;

    /** Really sleeps. */
    static Sleeper system() {
        return Thread::sleep;
    }
}
