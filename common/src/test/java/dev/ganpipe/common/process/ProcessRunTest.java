package dev.ganpipe.common.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProcessRunTest {

    @Test
    void aFinishedProcessGivesItsExitCodeAndEverythingItPrintedOnBothStreams() throws Exception {
        ProcessRun run = ProcessRun.of(new ProcessBuilder("sh", "-c", "echo to-stdout; echo to-stderr >&2; exit 3"), Duration.ofMinutes(1));

        assertThat(run.finished()).isTrue();
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.succeeded()).isFalse();
        assertThat(run.output()).contains("to-stdout", "to-stderr");
        assertThat(ProcessRun.of(new ProcessBuilder("sh", "-c", "exit 0"), Duration.ofMinutes(1)).succeeded()).isTrue();
    }

    @Test
    void aProcessThatOutlivesTheTimeoutIsKilledAndReportedUnfinished() throws Exception {
        // It closes its output at once, then keeps running past the timeout.
        ProcessRun run = ProcessRun.of(new ProcessBuilder("sh", "-c", "echo started; exec >&- 2>&-; sleep 30"), Duration.ofMillis(200));

        assertThat(run.finished()).isFalse();
        assertThat(run.succeeded()).isFalse();
        assertThat(run.output()).contains("started");
    }
}
