package dev.ganpipe.generator.continuous;

import java.time.Duration;

/** Waits; injected so that tests of the pacing advance a fake clock instead of sleeping. */
@FunctionalInterface
public interface Sleeper {

    /** Waits for {@code duration} (or until interrupted). */
    void sleep(Duration duration) throws InterruptedException;

    /** Really sleeps. */
    static Sleeper system() {
        return Thread::sleep;
    }
}
