package dev.ganpipe.bench.child;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a bench reads from the PyTorch reference it runs as a child: progress on stderr, copied to the bench's log as it
 * comes, and a result on stdout whose last line that opens a brace is the JSON the bench reads.
 */
public final class ChildOutput {

    private ChildOutput() {
    }

    /** Copies a child's stream line by line to {@code log}, on its own thread, so the child never blocks on a full pipe. */
    public static Thread pump(InputStream stream, PrintStream log, String threadName) {
        return Thread.ofPlatform().name(threadName).daemon(true).start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    log.println("  | " + line);
                }
            } catch (IOException e) {
                log.println("  | (the child's output could not be read further: " + e.getMessage() + ")");
            }
        });
    }

    /** Every line of a child's stdout, read until it closes it. */
    public static List<String> lines(InputStream stdout) throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines.add(line);
            }
        }
        return lines;
    }

    /**
     * The result line of a reference that has exited.
     *
     * @param exitValue its exit code
     * @param lines what it printed on stdout
     * @param command how it was run, for the message
     * @throws IllegalStateException when it failed or printed no JSON line; its messages went to the log before
     */
    public static String resultLine(int exitValue, List<String> lines, List<String> command) {
        if (exitValue != 0) {
            throw new IllegalStateException("The PyTorch reference exited with code " + exitValue
                    + "; its messages are above. Run it by hand to investigate: " + String.join(" ", command));
        }
        return lines.reversed().stream().filter(l -> l.startsWith("{")).findFirst()
                .orElseThrow(() -> new IllegalStateException("The PyTorch reference printed no JSON result line; its output was: " + lines));
    }
}
