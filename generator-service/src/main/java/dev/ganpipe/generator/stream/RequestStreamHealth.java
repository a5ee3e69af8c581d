package dev.ganpipe.generator.stream;

import dev.ganpipe.common.kafka.KafkaAccessException;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.metrics.MetricNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.MissingSourceTopicException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What became of the request stream's Streams client: its state, and once it has stopped for good (its thread died of
 * a missing ACL, a refused login or an unexpected error, or Kafka Streams shut it down otherwise) one sentence that
 * says why and what to do. That sentence is logged once, at the moment the stream stops, is {@code /readyz}'s 503
 * reason from then on, and {@code gan_generator_stream_stopped} turns 1. A stopped Streams client cannot be started
 * again, so the sentence asks for a restart; HTTP generation does not depend on the stream and keeps serving.
 */
final class RequestStreamHealth {

    /** The log of {@link RequestStream}: operators filter on that name. */
    private static final Logger LOG = LoggerFactory.getLogger(RequestStream.class);
    private static final String UNTIL_RESTART = " Until the service is restarted, synthetic.requests goes unanswered; "
            + "GET /v1/generate keeps serving.";
    private static final int MAX_DETAIL = 300;

    private final KafkaSettings kafka;
    private final String applicationId;
    private final TopicCatalog topics;
    private final AtomicReference<KafkaStreams.State> state;
    private final AtomicReference<String> stopped = new AtomicReference<>();
    private volatile boolean closing;

    /**
     * @param initial the client's state now (CREATED)
     * @param meters where {@code gan_generator_stream_stopped} is registered
     */
    RequestStreamHealth(KafkaSettings kafka, String applicationId, TopicCatalog topics, KafkaStreams.State initial, MeterRegistry meters) {
        this.kafka = kafka;
        this.applicationId = applicationId;
        this.topics = topics;
        this.state = new AtomicReference<>(initial);
        // Held strongly: Micrometer holds a gauge's object weakly, and nothing else may keep this one.
        Gauge.builder(MetricNames.GENERATOR_STREAM_STOPPED, this, h -> h.problem().isPresent() ? 1 : 0)
                .description("1 once the synthetic.requests stream has stopped for good (restart the service), else 0")
                .strongReference(true)
                .register(meters);
    }

    /** The Streams state listener. */
    void onStateChange(KafkaStreams.State now, KafkaStreams.State before) {
        state.set(now);
        LOG.info("Request stream ({} -> {}): {} -> {}", topics.syntheticRequests(), topics.syntheticImages(), before, now);
        if (closing) {
            return;
        }
        // After the uncaught-exception handler below has said why, these transitions add nothing; they are reported
        // here only when Kafka Streams stopped the client without an exception in this service.
        if (now == KafkaStreams.State.PENDING_ERROR || now == KafkaStreams.State.ERROR) {
            stop("The request stream stopped: Kafka Streams moved it to state ERROR without an error in this service; "
                    + "another instance with application id '" + applicationId + "' may have shut the whole application down "
                    + "(see its log)." + UNTIL_RESTART, null);
        } else if (now == KafkaStreams.State.PENDING_SHUTDOWN || now == KafkaStreams.State.NOT_RUNNING) {
            stop("The request stream stopped: Kafka Streams shut it down (state " + now + ") although the service did not "
                    + "ask it to." + UNTIL_RESTART, null);
        }
    }

    /**
     * The Streams uncaught-exception handler. A missing {@code synthetic.requests} topic is waited for (the thread is
     * replaced until it appears); anything else stops the client rather than retrying the same record forever.
     */
    StreamThreadExceptionResponse onUncaughtException(Throwable e) {
        if (e instanceof MissingSourceTopicException || e.getCause() instanceof MissingSourceTopicException) {
            LOG.warn("The requests topic '{}' does not exist yet; waiting for it (create it, e.g. with 'gan broker', which creates "
                    + "every pipeline topic). Until then /readyz reports not ready.", topics.syntheticRequests());
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        Optional<KafkaAccessException> denied = KafkaAccessException.of(e, kafka);
        if (denied.isPresent()) {
            // The sentence is complete; the stack trace of a refused login or a missing ACL adds nothing.
            stop(accessSentence(denied.get(), refusal(e)), null);
        } else {
            stop(unexpectedSentence(e), e);
        }
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    /** The service is closing the stream: the transitions that follow are no failure. */
    void closing() {
        closing = true;
    }

    KafkaStreams.State state() {
        return state.get();
    }

    boolean running() {
        return state.get() == KafkaStreams.State.RUNNING;
    }

    /** Why the stream stopped for good, as one sentence; empty while it runs, starts or rebalances. */
    Optional<String> problem() {
        return Optional.ofNullable(stopped.get());
    }

    /** Records the first reason only, and logs it once: the one ERROR line of the transition. */
    private void stop(String sentence, Throwable stackTrace) {
        if (stopped.compareAndSet(null, sentence)) {
            if (stackTrace == null) {
                LOG.error(sentence);
            } else {
                LOG.error(sentence, stackTrace);
            }
        }
    }

    private String accessSentence(KafkaAccessException denied, Throwable refusal) {
        StringBuilder sentence = new StringBuilder("The request stream stopped: ").append(denied.getMessage());
        if (refusal instanceof AuthorizationException authorization) {
            sentence.append(' ').append(lackedAcls(authorization));
        }
        return sentence.append(" Its thread died of ").append(article(refusal.getClass().getSimpleName())).append('.')
                .append(UNTIL_RESTART).toString();
    }

    /** Which of the ACLs docs/security.md lists for the request stream the broker refused, with the command that grants them. */
    private String lackedAcls(AuthorizationException refusal) {
        Optional<String> user = KafkaAccessException.user(kafka);
        List<String> lacked = new ArrayList<>();
        List<String> commands = new ArrayList<>();
        switch (refusal) {
            case TopicAuthorizationException denied -> {
                // The broker names the topics it refused; without names, every topic the stream uses is listed.
                Collection<String> named = denied.unauthorizedTopics().isEmpty()
                        ? List.of(topics.syntheticRequests(), topics.syntheticImages(), topics.imagesDlq())
                        : new TreeSet<>(denied.unauthorizedTopics());
                for (String topic : named) {
                    String operation = topic.equals(topics.syntheticRequests()) ? "Read" : "Write";
                    lacked.add(operation + " on topic " + topic);
                    commands.add("--operation " + operation + " --topic " + topic);
                }
            }
            case GroupAuthorizationException denied -> {
                lacked.add("Read on the consumer group " + applicationId);
                commands.add("--operation Read --group " + applicationId);
            }
            case TransactionalIdAuthorizationException denied -> {
                lacked.add("Write on the transactional ids prefixed " + applicationId);
                commands.add("--operation Write --transactional-id " + applicationId + " --resource-pattern-type prefixed");
            }
            default -> {
                return "The request stream needs the ACLs " + KafkaAccessException.ACL_DOC + " lists for generator-service.";
            }
        }
        StringBuilder text = new StringBuilder("The request stream ").append(lacksOrNeeds(refusal)).append(' ')
                .append(String.join(" and ", lacked));
        if (user.isPresent()) {
            text.append(" (");
            for (int i = 0; i < commands.size(); i++) {
                text.append(i == 0 ? "" : "; ").append("kafka-acls --add --allow-principal User:").append(user.get()).append(' ')
                        .append(commands.get(i));
            }
            text.append(')');
        }
        return text.append('.').toString();
    }

    /** "lacks" when the broker named what it refused, "needs" when it named nothing and all of them are listed. */
    private static String lacksOrNeeds(AuthorizationException refusal) {
        return refusal instanceof TopicAuthorizationException topic && topic.unauthorizedTopics().isEmpty() ? "needs" : "lacks";
    }

    private static String unexpectedSentence(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String detail = root.getMessage() == null ? "" : root.getMessage().strip().lines().findFirst().orElse("");
        if (detail.length() > MAX_DETAIL) {
            detail = detail.substring(0, MAX_DETAIL) + "...";
        }
        return "The request stream stopped: its thread died of an unexpected " + root.getClass().getSimpleName()
                + (root == e ? "" : " (in " + article(e.getClass().getSimpleName()) + ")")
                + (detail.isEmpty() ? "" : ": " + detail) + "; the service log holds the stack trace." + UNTIL_RESTART;
    }

    /** The authentication or authorization exception in {@code e}'s cause chain ({@link KafkaAccessException#of} found one). */
    private static Throwable refusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AuthorizationException || t instanceof AuthenticationException) {
                return t;
            }
        }
        return e;
    }

    private static String article(String name) {
        return ("AEIOU".indexOf(name.isEmpty() ? 'x' : name.charAt(0)) >= 0 ? "an " : "a ") + name;
    }
}
