package dev.ganpipe.ingest;

import dev.ganpipe.common.ServiceMain;
import dev.ganpipe.common.config.CommandLine;
import dev.ganpipe.common.metrics.MeterRegistries;
import dev.ganpipe.ingest.publish.IngestCommand;
import dev.ganpipe.ingest.publish.PublishException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * {@code gan ingest [--serve] [PATH...]}: with PATHs publishes them to {@code images.raw} and exits; with no
 * PATHs, or with {@code --serve}, runs the ingest service until the JVM is asked to stop (Ctrl-C, SIGTERM).
 */
public final class IngestMain {

    /** Exit code when reading a PATH or sending an image failed (the message says why). */
    public static final int EXIT_FAILED = 1;
    /** Exit code for a usage or configuration error. */
    public static final int EXIT_USAGE = ServiceMain.USAGE_ERROR;
    /** Exit code when interrupted while publishing. */
    public static final int EXIT_INTERRUPTED = 130;

    private IngestMain() {
    }

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args)));
    }

    /** Runs with the given arguments and the process environment; returns the exit code. What the launcher calls. */
    public static int run(List<String> args) {
        return run(args, System.getenv(), System.out, System.err);
    }

    /** Runs with the given arguments, environment and streams (help to {@code out}; progress and errors to {@code err}). */
    static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        CommandLine.Parsed<IngestConfig> parsed = CommandLine.of(IngestConfig.spec(), "gan ingest", EXIT_USAGE)
                .withIllegalArgumentsAsUsageErrors().parse(args, env, out, err, values -> IngestConfig.from(values, env));
        if (parsed.done()) {
            return parsed.exitCode();
        }
        IngestConfig config = parsed.value();
        List<String> paths = parsed.values().positional();
        if (!paths.isEmpty() && !config.serve()) {
            return publish(config, paths, err);
        }
        // Registered before the service starts, so a Ctrl-C during start-up still closes what has started.
        List<IngestService> services = new CopyOnWriteArrayList<>();
        CountDownLatch stopped = ServiceMain.closeOnShutdown(services);
        services.add(IngestService.start(config, MeterRegistries.prometheus("ingest")));
        if (!paths.isEmpty()) {
            int code = publish(config, paths, err);
            if (code != 0) {
                return code;
            }
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ServiceMain.closeAll(services);
        }
        return 0;
    }

    private static int publish(IngestConfig config, List<String> paths, PrintStream err) {
        try {
            IngestCommand.run(config, paths, err);
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("gan ingest: " + e.getMessage());
            return EXIT_USAGE;
        } catch (IOException | PublishException e) {
            err.println("gan ingest: " + e.getMessage());
            return EXIT_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("gan ingest: interrupted; images sent before the interruption stay on the raw topic.");
            return EXIT_INTERRUPTED;
        }
    }
}
