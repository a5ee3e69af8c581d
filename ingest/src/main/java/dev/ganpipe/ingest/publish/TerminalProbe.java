package dev.ganpipe.ingest.publish;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.OptionalInt;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * Asks JLine (the progress bar library's own terminal layer) whether stderr is an interactive terminal and how
 * wide it is. The terminal is opened without native signal handlers and closed at once, so Ctrl-C keeps reaching
 * the JVM's shutdown hooks.
 */
final class TerminalProbe {

    private TerminalProbe() {
    }

    /** The width of stderr's terminal, or empty when stderr is redirected (a file, a pipe, a CI log). */
    static OptionalInt stderrColumns() {
        try (Terminal terminal = TerminalBuilder.builder()
                .system(true)
                .systemOutput(TerminalBuilder.SystemOutput.SysErr)
                .nativeSignals(false)
                .dumb(true)
                .build()) {
            String type = terminal.getType();
            if (Terminal.TYPE_DUMB.equals(type) || Terminal.TYPE_DUMB_COLOR.equals(type)) {
                return OptionalInt.empty();
            }
            return OptionalInt.of(terminal.getWidth());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not inspect the terminal on stderr; pass --progress lines or --progress off.", e);
        }
    }
}
