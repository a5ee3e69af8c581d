package dev.ganpipe.launcher;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Prometheus's {@code promtool}, run on a metrics exposition: what it says about each metric. */
final class Promtool {

    private Promtool() {
    }

    /** {@code promtool} on the PATH, if installed (Debian's prometheus package). */
    static Optional<Path> find() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "promtool");
            if (!dir.isBlank() && Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The lines {@code promtool check metrics} prints for {@code exposition} (empty when it finds nothing). */
    static String checkMetrics(Path promtool, String exposition) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        // Written from another thread: promtool may answer before it has read everything, and both pipes are bounded.
        Thread writer = Thread.ofPlatform().daemon(true).start(() -> {
            try (OutputStream in = process.getOutputStream()) {
                in.write(exposition.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("Could not write the metrics to promtool's input.", e);
            }
        });
        String output;
        try (var out = process.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("promtool check metrics did not finish within a minute.");
        }
        writer.join(10_000);
        return output;
    }
}
