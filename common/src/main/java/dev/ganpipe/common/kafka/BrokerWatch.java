package dev.ganpipe.common.kafka;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the broker now and then whether it answers, so that a service started before Kafka (or left by it) can say
 * so: one log line when the broker stops answering, one when it answers again, never a line per retry, and a
 * sentence for {@code /readyz} while it is away. The Kafka clients themselves keep reconnecting on their own; this
 * only observes.
 */
public final class BrokerWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerWatch.class);
    /** How often the broker is asked while it does not answer. */
    public static final Duration RETRY_EVERY = Duration.ofSeconds(2);
    private static final Duration CHECK_EVERY = Duration.ofSeconds(10);
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(3);

    private final Admin admin;
    private final String service;
    private final String bootstrapServers;
    private final Set<String> topics;
    private final CountDownLatch reachedOnce = new CountDownLatch(1);
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;
    private volatile State state = State.UNKNOWN;
    private volatile String lastError = "no answer yet";
    private volatile Set<String> missing = Set.of();
    private final KafkaSettings kafka;

    private enum State { UNKNOWN, REACHABLE, UNREACHABLE, TOPICS_MISSING, ACCESS_DENIED }

    private BrokerWatch(KafkaSettings kafka, String service, Set<String> topics) {
        var props = kafka.admin(kafka.clientId("gan-" + service + "-broker-watch"));
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(ASK_TIMEOUT.toMillis()));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(ASK_TIMEOUT.toMillis()));
        this.admin = Admin.create(props);
        this.service = service;
        this.topics = Set.copyOf(topics);
        this.bootstrapServers = kafka.bootstrapServers();
        this.kafka = kafka;
        this.thread = Thread.ofPlatform().name(service + "-broker-watch").daemon(true).unstarted(this::run);
    }

    /**
     * Starts watching the broker of {@code kafka} on a daemon thread.
     *
     * @param service the service's name, for the log line and the client id, e.g. {@code ingest}
     */
    public static BrokerWatch start(KafkaSettings kafka, String service) {
        return start(kafka, service, Set.of());
    }

    /**
     * As {@link #start(KafkaSettings, String)}, and the broker counts as reachable only once {@code topics} exist
     * too: for a service that reads them at start and cannot create them itself.
     */
    public static BrokerWatch start(KafkaSettings kafka, String service, Set<String> topics) {
        BrokerWatch watch = new BrokerWatch(kafka, service, topics);
        watch.thread.start();
        return watch;
    }

    /** Whether the broker answered the last question. */
    public boolean reachable() {
        return state == State.REACHABLE;
    }

    /**
     * For a client without TLS: a TLS listener does not refuse a plaintext client, it just never answers, which
     * looks exactly like a broker that is down (measured in TlsPipelineTest). Empty for a client configured for TLS.
     */
    private String tlsHint() {
        String protocol = kafka.clientProperties().getOrDefault("security.protocol", "PLAINTEXT").trim().toUpperCase(Locale.ROOT);
        return protocol.endsWith("SSL") ? ""
                : " If its listener uses TLS, set security.protocol=SSL (or SASL_SSL) and ssl.truststore.location "
                        + "(docs/security.md): a client on " + protocol + " gets no answer from a TLS listener.";
    }

    /** Why the service cannot count on the broker now, as a sentence for {@code /readyz}; empty while it answers. */
    public Optional<String> problem() {
        return switch (state) {
            case REACHABLE -> Optional.empty();
            case UNKNOWN -> Optional.of("Kafka at " + bootstrapServers + " has not answered yet; " + service
                    + " is still connecting.");
            case UNREACHABLE -> Optional.of("Kafka at " + bootstrapServers + " is unreachable (" + lastError + "); " + service
                    + " retries every " + RETRY_EVERY.toSeconds() + " s and becomes ready by itself once the broker answers. "
                    + "Check that the broker runs and that --bootstrap-servers points at it." + tlsHint());
            case TOPICS_MISSING -> Optional.of("Kafka at " + bootstrapServers + " answers, but the topic(s) " + missing
                    + " do not exist yet; " + service + " waits for them. Create the pipeline's topics ('gan broker' or the "
                    + "compose topic-init service does it).");
            // The broker answers but refuses this client: retrying will not help until the configuration changes.
            case ACCESS_DENIED -> Optional.of(lastError);
        };
    }

    /**
     * Blocks until the broker has answered once.
     *
     * @return false when the watch was closed first
     */
    public boolean awaitReachable() throws InterruptedException {
        while (reachedOnce.getCount() > 0) {
            if (stop.await(100, TimeUnit.MILLISECONDS)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Blocks until the broker has answered once, at most {@code timeout}.
     *
     * @return false when it has not answered by then, or the watch was closed
     */
    public boolean awaitReachable(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (reachedOnce.getCount() > 0) {
            if (System.nanoTime() - deadline > 0 || stop.await(100, TimeUnit.MILLISECONDS)) {
                return false;
            }
        }
        return true;
    }

    /** Stops asking and closes the admin client; safe to call twice. */
    @Override
    public void close() {
        stop.countDown();
        try {
            thread.join(ASK_TIMEOUT.plusSeconds(2).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(Duration.ofSeconds(1));
    }

    private void run() {
        try {
            do {
                ask();
            } while (!stop.await((state == State.REACHABLE ? CHECK_EVERY : RETRY_EVERY).toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Topics this principal may not describe are left out of the topic list as if they did not exist; describing them
     * tells the two apart, so that a missing ACL is reported as such and not as a missing topic.
     *
     * @throws ExecutionException when the broker denies access to one of them (a missing ACL)
     */
    private void refuseIfDenied(Set<String> absent) throws ExecutionException, TimeoutException, InterruptedException {
        Set<String> denied = new TreeSet<>();
        for (var topic : admin.describeTopics(absent).topicNameValues().entrySet()) {
            try {
                topic.getValue().get(ASK_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (KafkaAccessException.of(e).isPresent()) {
                    denied.add(topic.getKey());
                }
                // Otherwise (unknown topic) it really is missing, which the caller reports.
            }
        }
        if (!denied.isEmpty()) {
            // The broker's own exception names no topic; this one names them all.
            throw new ExecutionException(new TopicAuthorizationException("Not authorized to describe the topic(s) " + denied + ".", denied));
        }
    }

    private void ask() throws InterruptedException {
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) ASK_TIMEOUT.toMillis()))
                    .nodes().get(ASK_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
            if (!topics.isEmpty()) {
                Set<String> existing = admin.listTopics().names().get(ASK_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
                Set<String> absent = new TreeSet<>(topics);
                absent.removeAll(existing);
                if (!absent.isEmpty()) {
                    refuseIfDenied(absent);
                    if (state != State.TOPICS_MISSING) {
                        LOG.warn("Kafka at {} answers, but the topic(s) {} do not exist yet; {} waits for them without logging each "
                                + "try. Create the pipeline's topics ('gan broker' or the compose topic-init service does it).",
                                bootstrapServers, absent, service);
                    }
                    missing = Set.copyOf(absent);
                    state = State.TOPICS_MISSING;
                    return;
                }
            }
            if (state == State.UNREACHABLE || state == State.TOPICS_MISSING || state == State.ACCESS_DENIED) {
                LOG.info("Kafka at {} answers again; {} carries on.", bootstrapServers, service);
            }
            state = State.REACHABLE;
            reachedOnce.countDown();
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            Optional<KafkaAccessException> denied = KafkaAccessException.of(cause, kafka);
            if (denied.isPresent()) {
                if (state != State.ACCESS_DENIED || !lastError.equals(denied.get().getMessage())) {
                    LOG.error("{} {} keeps asking every {} s.", denied.get().getMessage(), service, RETRY_EVERY.toSeconds());
                }
                lastError = denied.get().getMessage();
                state = State.ACCESS_DENIED;
                return;
            }
            lastError = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
            if (state != State.UNREACHABLE) {
                LOG.warn("Kafka at {} is unreachable ({}); {} waits, retries every {} s without logging each try, and carries on "
                        + "by itself once the broker answers. Check that the broker runs and that --bootstrap-servers points at it.{}",
                        bootstrapServers, lastError, service, RETRY_EVERY.toSeconds(), tlsHint());
            }
            state = State.UNREACHABLE;
        }
    }
}
