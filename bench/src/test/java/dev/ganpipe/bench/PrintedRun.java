package dev.ganpipe.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Runs a bench as {@code ./gan bench} does, with an empty environment, and keeps what it printed for the assertions. */
public final class PrintedRun {

    private final Bench bench;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    public PrintedRun(Bench bench) {
        this.bench = bench;
    }

    /** Runs the bench with these options and returns its exit status; what it prints adds to what earlier runs printed. */
    public int run(String... args) {
        return bench.run(List.of(args), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    /** The report: what the runs printed to their {@code out}. */
    public String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Progress and errors: what the runs printed to their {@code log}. */
    public String log() {
        return log.toString(StandardCharsets.UTF_8);
    }
}
