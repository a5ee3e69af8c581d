package dev.ganpipe.generator;

import dev.ganpipe.common.ServiceMain;
import dev.ganpipe.common.config.CommandLine;
import dev.ganpipe.common.metrics.MeterRegistries;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code gan generator [options]}: parses the options, starts the service and runs until interrupted or killed. */
public final class GeneratorMain {

    private static final Logger LOG = LoggerFactory.getLogger(GeneratorMain.class);

    /** Exit status for bad options (the same as every other service's). */
    public static final int EXIT_USAGE = ServiceMain.USAGE_ERROR;
    /** Exit status when the service could not start. */
    public static final int EXIT_FAILED = 1;

    private GeneratorMain() {
    }

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args)));
    }

    /** {@code gan generator [options]}: the launcher's entry, with the process environment and standard streams. */
    public static int run(List<String> args) {
        return run(args, System.getenv(), System.out, System.err);
    }

    /**
     * Parses the options ({@code --help} prints them and returns 0), then serves until this thread is interrupted
     * (returns 0 after a clean stop) or the JVM shuts down (a shutdown hook stops the service).
     *
     * @return the process exit status: 0, {@link #EXIT_USAGE} or {@link #EXIT_FAILED}
     */
    public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        CommandLine.Parsed<GeneratorConfig> parsed = CommandLine.of(GeneratorConfig.spec(), "gan generator", EXIT_USAGE)
                .parse(args, env, out, err, GeneratorConfig::from);
        if (parsed.done()) {
            return parsed.exitCode();
        }
        GeneratorConfig config = parsed.value();
        GeneratorService service;
        try {
            service = GeneratorService.start(config, MeterRegistries.prometheus("generator"));
        } catch (RuntimeException e) {
            LOG.error("The generator service could not start.", e);
            err.println("gan generator: could not start: " + e.getMessage());
            return EXIT_FAILED;
        }
        Thread hook = new Thread(service::close, "generator-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            LOG.info("Interrupted; stopping the generator service.");
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is already shutting down and the hook closes the service.
                LOG.debug("JVM shutdown in progress; the shutdown hook stops the service.");
            }
            service.close();
        }
        return 0;
    }
}
