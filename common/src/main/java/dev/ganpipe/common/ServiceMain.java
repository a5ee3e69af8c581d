package dev.ganpipe.common;

import dev.ganpipe.common.config.ConfigException;
import dev.ganpipe.common.config.ConfigSpec;
import dev.ganpipe.common.config.ConfigValues;
import dev.ganpipe.common.config.KafkaOptions;
import dev.ganpipe.common.kafka.KafkaAccessException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body every service's {@code main} shares: parse the config (printing {@code --help} or a clear error), start
 * the service, and on Ctrl-C / SIGTERM close it before the JVM exits.
 */
public final class ServiceMain {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceMain.class);

    /** Exit code for a usage or configuration error. */
    public static final int USAGE_ERROR = 2;

    private ServiceMain() {
    }

    /**
     * Runs a service until the JVM is asked to stop.
     *
     * @param starter builds and starts the service from the parsed values
     * @return the process exit code
     */
    public static int run(ConfigSpec spec, List<String> args, Function<ConfigValues, Service> starter) {
        ConfigValues values = null;
        Service service;
        try {
            values = ConfigValues.parse(spec, args, System.getenv());
            if (values.helpRequested()) {
                System.out.print(spec.helpText());
                return 0;
            }
            service = starter.apply(values);
        } catch (ConfigException | IllegalArgumentException e) {
            System.err.println("gan: " + e.getMessage());
            return USAGE_ERROR;
        } catch (RuntimeException e) {
            // Wrong credentials or a missing ACL is a configuration error too: say so in a sentence, not a stack trace.
            Optional<KafkaAccessException> denied = values != null && spec.setting("bootstrap-servers").isPresent()
                    ? KafkaAccessException.of(e, KafkaOptions.kafka(values))
                    : KafkaAccessException.of(e);
            if (denied.isEmpty()) {
                throw e;
            }
            LOG.debug("The broker refused {} at start-up.", spec.command(), e);
            System.err.println("gan: " + denied.get().getMessage());
            return USAGE_ERROR;
        }
        awaitShutdown(List.of(service));
        return 0;
    }

    /**
     * Blocks until the JVM shuts down (Ctrl-C, SIGTERM), then closes the services in reverse order from the
     * shutdown hook, so every part stops cleanly before the process exits.
     */
    public static void awaitShutdown(List<? extends Service> services) {
        CountDownLatch stopped = closeOnShutdown(services);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Registers a shutdown hook that closes the services in reverse order. The list may still grow after this
     * call (pass a concurrent list), so a Ctrl-C during start-up closes whatever has started by then.
     *
     * @return counted down once the services are closed
     */
    public static CountDownLatch closeOnShutdown(List<? extends Service> services) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("Stopping ...");
            closeAll(List.copyOf(services));
            LOG.info("Stopped.");
            stopped.countDown();
        }, "shutdown"));
        return stopped;
    }

    /** Closes services in reverse order; one failing to close does not keep the others open. */
    public static void closeAll(List<? extends Service> services) {
        for (int i = services.size() - 1; i >= 0; i--) {
            Service s = services.get(i);
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.error("{} did not close cleanly: {}", s.name(), e.getMessage(), e);
            }
        }
    }
}
