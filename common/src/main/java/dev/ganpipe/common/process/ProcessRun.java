package dev.ganpipe.common.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A child process run to its end: whether it ended in time, its exit code, and everything it printed (stderr merged
 * into stdout, so an error message is never lost in a pipe nobody reads).
 *
 * @param finished whether it ended within the timeout; when not, it was killed
 * @param exitCode its exit code; -1 when it did not finish
 * @param output what it printed on stdout and stderr
 */
public record ProcessRun(boolean finished, int exitCode, String output) {

    /** Whether it ended in time with exit code 0. */
    public boolean succeeded() {
        return finished && exitCode == 0;
    }

    /**
     * Starts {@code builder}'s command with no input, reads all it prints until it closes its output, then waits up to
     * {@code timeout} for it to exit (killing it if it does not).
     *
     * @throws IOException when it cannot be started or its output cannot be read
     */
    public static ProcessRun of(ProcessBuilder builder, Duration timeout) throws IOException, InterruptedException {
        Process process = builder.redirectErrorStream(true).start();
        try {
            process.getOutputStream().close();
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return new ProcessRun(false, -1, output);
            }
            return new ProcessRun(true, process.exitValue(), output);
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }
}
