package dev.ganpipe.common.config;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How a command starts: parse its arguments against its {@link ConfigSpec} and build what it runs with; print
 * {@code --help} to standard output; or print a configuration error to standard error, prefixed with the command's
 * name. Every command's {@code run} begins this way, so that {@code --help} and a wrong option are answered alike;
 * each keeps its own name, exit code and checks (the checks go in the {@code build} function).
 *
 * <pre>{@code
 * CommandLine.Parsed<IngestBenchConfig> parsed = CommandLine.of(IngestBenchConfig.spec(), "gan bench ingest", 2)
 *         .parse(args, env, out, err, IngestBenchConfig::from);
 * if (parsed.done()) {
 *     return parsed.exitCode();
 * }
 * IngestBenchConfig config = parsed.value();
 * }</pre>
 *
 * @param spec the command's options; {@code --help} prints its {@link ConfigSpec#helpText()}
 * @param name what an error line starts with, before a colon, e.g. {@code gan bench ingest}
 * @param usageExit the exit code for a configuration error
 * @param illegalArgumentIsUsageError whether an {@link IllegalArgumentException} from parsing or building (an invalid
 *     path, a value a constructor refuses) is reported as a configuration error too, rather than ending the command
 * @param hints lines printed after each configuration error, e.g. where to find the options
 */
public record CommandLine(ConfigSpec spec, String name, int usageExit, boolean illegalArgumentIsUsageError, List<String> hints) {

    /** Exit code after printing {@code --help}. */
    public static final int HELP_EXIT = 0;

    public CommandLine {
        hints = List.copyOf(hints);
    }

    /** A command line that reports a {@link ConfigException} as a configuration error, with no hint. */
    public static CommandLine of(ConfigSpec spec, String name, int usageExit) {
        return new CommandLine(spec, name, usageExit, false, List.of());
    }

    /** The same, also reporting an {@link IllegalArgumentException} as a configuration error. */
    public CommandLine withIllegalArgumentsAsUsageErrors() {
        return new CommandLine(spec, name, usageExit, true, hints);
    }

    /** The same, printing {@code line} after each configuration error (after any hint before it). */
    public CommandLine withHint(String line) {
        List<String> more = new ArrayList<>(hints);
        more.add(line);
        return new CommandLine(spec, name, usageExit, illegalArgumentIsUsageError, more);
    }

    /**
     * Parses {@code args} (flags win over {@code env}, which wins over defaults) and builds the command's settings.
     *
     * @param out where {@code --help} goes
     * @param err where a configuration error goes
     * @param build the command's settings from the values; it throws a {@link ConfigException} saying what to fix
     * @return the values and the settings, or, when {@code --help} was printed or an error reported, the exit code
     */
    public <T> Parsed<T> parse(List<String> args, Map<String, String> env, PrintStream out, PrintStream err,
            Function<ConfigValues, T> build) {
        try {
            ConfigValues values = ConfigValues.parse(spec, args, env);
            if (values.helpRequested()) {
                out.print(spec.helpText());
                return Parsed.exit(HELP_EXIT);
            }
            return Parsed.ready(values, build.apply(values));
        } catch (ConfigException e) {
            return usageError(e, err);
        } catch (IllegalArgumentException e) {
            if (!illegalArgumentIsUsageError) {
                throw e;
            }
            return usageError(e, err);
        }
    }

    private <T> Parsed<T> usageError(RuntimeException e, PrintStream err) {
        err.println(name + ": " + e.getMessage());
        hints.forEach(err::println);
        return Parsed.exit(usageExit);
    }

    /**
     * What a command line came to: the values and what the command built from them, or, when the command is done
     * already ({@code --help} printed, a configuration error reported), the exit code to end with.
     *
     * @param values the parsed values, e.g. for the positional arguments; null when {@link #done()}
     * @param value what the command built from the values
     * @param exitCode the exit code when {@link #done()}
     * @param <T> what the command built from the values
     */
    public record Parsed<T>(ConfigValues values, T value, int exitCode) {

        static <T> Parsed<T> ready(ConfigValues values, T value) {
            return new Parsed<>(values, value, 0); // the command runs: no exit code yet
        }

        static <T> Parsed<T> exit(int exitCode) {
            return new Parsed<>(null, null, exitCode);
        }

        /** Whether the command is done: return {@link #exitCode()} from it. */
        public boolean done() {
            return values == null;
        }

        /** The exit code when {@link #done()}. */
        @Override
        public int exitCode() {
            if (!done()) {
                throw new IllegalStateException("The command line was parsed and the command should run; check done() before exitCode().");
            }
            return exitCode;
        }

        /** The parsed values; only when not {@link #done()}. */
        @Override
        public ConfigValues values() {
            return running(values);
        }

        /** What the command built from the values; only when not {@link #done()}. */
        @Override
        public T value() {
            return running(value);
        }

        private <V> V running(V v) {
            if (done()) {
                throw new IllegalStateException("The command is done (help printed or a configuration error reported), so it has no "
                        + "values; check done() first and return exitCode().");
            }
            return v;
        }
    }
}
