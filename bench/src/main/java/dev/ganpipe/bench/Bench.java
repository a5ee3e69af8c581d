package dev.ganpipe.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * One bench's entry: its options, the environment and the two streams in, its exit status out. Every bench takes
 * them as parameters rather than reading the process's, so a test runs it exactly as {@code ./gan bench} does and reads
 * what it printed.
 */
@FunctionalInterface
public interface Bench {

    /**
     * Runs the bench.
     *
     * @param args its options, without the bench's name
     * @param env the environment its options may also come from
     * @param out the report: the table and the {@code ratio} lines
     * @param log progress and errors
     * @return 0 when every row was measured; otherwise what the bench documents
     */
    int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream log);
}
