package dev.ganpipe.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StartedPartsTest {

    private final List<String> closed = new ArrayList<>();
    private final StartedParts parts = new StartedParts();

    private AutoCloseable part(String name) {
        return () -> closed.add(name);
    }

    @Test
    void closesInReverseStartOrderOnlyOnce() {
        parts.push(part("broker"));
        parts.push(part("http"));
        parts.push(part("stream"));

        assertThat(parts.closeOnce("Stopping failed.")).isTrue();
        assertThat(parts.closeOnce("Stopping failed.")).as("a second close does nothing").isFalse();
        assertThat(closed).containsExactly("stream", "http", "broker");
    }

    @Test
    void aPartThatFailsToCloseDoesNotKeepTheOthersOpenAndIsSuppressedOnTheFailure() {
        IOException disk = new IOException("disk full");
        parts.push(part("broker"));
        parts.push(() -> {
            throw disk;
        });
        parts.push(part("stream"));

        assertThatThrownBy(() -> parts.closeOnce("Stopping the test service failed; see the suppressed exceptions."))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Stopping the test service failed; see the suppressed exceptions.")
                .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(disk));
        assertThat(closed).containsExactly("stream", "broker");
    }

    @Test
    void aFailedStartClosesWhatHadStartedAndKeepsTheCloseFailuresOnTheStartFailure() {
        IllegalStateException cannotStart = new IllegalStateException("port 8080 is taken");
        IllegalStateException stuck = new IllegalStateException("stuck");
        parts.push(part("registry"));
        parts.push(() -> {
            throw stuck;
        });

        parts.closeAfterFailedStart(cannotStart);

        assertThat(closed).containsExactly("registry");
        assertThat(cannotStart.getSuppressed()).containsExactly(stuck);
        assertThat(parts.closeOnce("Stopping failed.")).as("nothing is left to close").isFalse();
    }
}
