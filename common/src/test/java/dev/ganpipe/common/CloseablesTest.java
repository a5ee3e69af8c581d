package dev.ganpipe.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class CloseablesTest {

    @Test
    void theResourceIsClosedAndThePrimaryFailureKeepsNothingWhenClosingWorks() {
        AtomicBoolean closed = new AtomicBoolean();
        IllegalStateException primary = new IllegalStateException("The work failed.");

        Closeables.closeAfter(() -> closed.set(true), primary);

        assertThat(closed).isTrue();
        assertThat(primary.getSuppressed()).isEmpty();
    }

    @Test
    void aFailureToCloseTravelsSuppressedOnThePrimaryFailure() {
        IOException closing = new IOException("The disk went away.");
        IllegalStateException primary = new IllegalStateException("The work failed.");

        Closeables.closeAfter(() -> {
            throw closing;
        }, primary);

        assertThat(primary.getSuppressed()).containsExactly(closing);
    }
}
