package dev.ganpipe.generator.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.apache.kafka.streams.KafkaStreams.State.CREATED;
import static org.apache.kafka.streams.KafkaStreams.State.ERROR;
import static org.apache.kafka.streams.KafkaStreams.State.NOT_RUNNING;
import static org.apache.kafka.streams.KafkaStreams.State.PENDING_ERROR;
import static org.apache.kafka.streams.KafkaStreams.State.PENDING_SHUTDOWN;
import static org.apache.kafka.streams.KafkaStreams.State.REBALANCING;
import static org.apache.kafka.streams.KafkaStreams.State.RUNNING;

import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.metrics.MetricNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.streams.errors.MissingSourceTopicException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the request stream's readiness says once its Streams client stops, fed the exceptions and state changes Kafka
 * Streams hands its handlers (no broker): the sentence, the one log line and the gauge. SecuredPipelineTest's
 * sibling RequestStreamAclTest (module reliability) shows the same against a real broker that denies an ACL.
 */
class RequestStreamHealthTest {

    private static final String APP_ID = "gan-generator-requests";
    private static final KafkaSettings KAFKA = new KafkaSettings("kafka:9093", Map.of(
            "security.protocol", "SASL_PLAINTEXT",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"generator\" "
                    + "password=\"generator-secret\";"));
    private static final String UNTIL_RESTART = " Until the service is restarted, synthetic.requests goes unanswered; "
            + "GET /v1/generate keeps serving.";

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final RequestStreamHealth health = new RequestStreamHealth(KAFKA, APP_ID, TopicCatalog.defaults(), CREATED, meters);
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void captureLog() {
        originalErr = System.err;
        PrintStream original = originalErr;
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (log) {
                    log.write(b);
                }
                original.write(b);
            }
        }, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreLog() {
        System.setErr(originalErr);
    }

    @Test
    void aMissingReadAclOnTheRequestsTopicStopsTheStreamWithOneSentenceThatNamesTheAclAndTheCommand() {
        running();
        assertThat(health.problem()).isEmpty();
        assertThat(stoppedGauge()).isZero();

        StreamThreadExceptionResponse response = health.onUncaughtException(new StreamsException(
                new TopicAuthorizationException("Not authorized to access topics: [synthetic.requests]", Set.of("synthetic.requests"))));
        // What Kafka Streams does next with SHUTDOWN_CLIENT, and what an operator then does: poll /readyz, again and again.
        health.onStateChange(PENDING_ERROR, RUNNING);
        health.onStateChange(ERROR, PENDING_ERROR);
        for (int i = 0; i < 5; i++) {
            assertThat(health.problem()).isPresent();
        }

        assertThat(response).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(health.problem()).hasValue("The request stream stopped: Authorization failed: Kafka at kafka:9093 denied user "
                + "'generator' access to topic(s) [synthetic.requests] (Not authorized to access topics: [synthetic.requests]). "
                + "The principal lacks an ACL: grant it the ACLs docs/security.md lists for this service (kafka-acls --add ...), "
                + "then restart the service. The request stream lacks Read on topic synthetic.requests (kafka-acls --add "
                + "--allow-principal User:generator --operation Read --topic synthetic.requests). Its thread died of a "
                + "TopicAuthorizationException." + UNTIL_RESTART);
        assertThat(health.running()).isFalse();
        assertThat(health.state()).isEqualTo(ERROR);
        assertThat(stoppedGauge()).isEqualTo(1.0);
        assertThat(stoppedLines()).as("one ERROR line at the transition, none per state change or /readyz")
                .singleElement().asString().contains("ERROR", health.problem().orElseThrow());
    }

    @Test
    void aMissingGroupOrTransactionalIdAclIsNamedWithItsCommand() {
        running();
        health.onUncaughtException(new StreamsException(new GroupAuthorizationException("Not authorized to access group: " + APP_ID, APP_ID)));
        assertThat(health.problem()).hasValueSatisfying(sentence -> assertThat(sentence)
                .startsWith("The request stream stopped: Authorization failed: Kafka at kafka:9093 denied user 'generator' the consumer "
                        + "group '" + APP_ID + "'")
                .contains("The request stream lacks Read on the consumer group " + APP_ID + " (kafka-acls --add --allow-principal "
                        + "User:generator --operation Read --group " + APP_ID + "). Its thread died of a GroupAuthorizationException.")
                .endsWith(UNTIL_RESTART));

        RequestStreamHealth other = new RequestStreamHealth(KAFKA, APP_ID, TopicCatalog.defaults(), RUNNING, new SimpleMeterRegistry());
        other.onUncaughtException(new StreamsException("Error encountered trying to initialize transactions",
                new TransactionalIdAuthorizationException("Transactional Id authorization failed.")));
        assertThat(other.problem()).hasValueSatisfying(sentence -> assertThat(sentence)
                .contains("The request stream lacks Write on the transactional ids prefixed " + APP_ID + " (kafka-acls --add "
                        + "--allow-principal User:generator --operation Write --transactional-id " + APP_ID
                        + " --resource-pattern-type prefixed). Its thread died of a TransactionalIdAuthorizationException."));
    }

    @Test
    void aRefusedLoginSaysSoAndThatTheStreamNeedsARestart() {
        running();
        health.onUncaughtException(new StreamsException(new SaslAuthenticationException(
                "Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512")));
        assertThat(health.problem()).hasValueSatisfying(sentence -> assertThat(sentence)
                .startsWith("The request stream stopped: Authentication failed: Kafka at kafka:9093 rejected the login of user "
                        + "'generator' with SCRAM-SHA-512 over SASL_PLAINTEXT")
                .contains("Check the user name and password in sasl.jaas.config")
                .endsWith("Its thread died of a SaslAuthenticationException." + UNTIL_RESTART)
                .doesNotContain("generator-secret", "kafka-acls"));
    }

    @Test
    void anyOtherErrorIsNamedByItsClassAndLoggedOnceWithTheStackTrace() {
        running();
        StreamThreadExceptionResponse response = health.onUncaughtException(
                new StreamsException("task [0_1] failed", new IllegalStateException("the processor broke\nsecond line")));
        health.onStateChange(PENDING_ERROR, RUNNING);
        health.onStateChange(ERROR, PENDING_ERROR);

        assertThat(response).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(health.problem()).hasValue("The request stream stopped: its thread died of an unexpected IllegalStateException "
                + "(in a StreamsException): the processor broke; the service log holds the stack trace." + UNTIL_RESTART);
        assertThat(stoppedLines()).hasSize(1);
        assertThat(logText()).contains("java.lang.IllegalStateException: the processor broke");
        assertThat(stoppedGauge()).isEqualTo(1.0);
    }

    @Test
    void aClientStoppedWithoutAnExceptionHereIsReportedToo() {
        running();
        // Another instance of the application asked for SHUTDOWN_APPLICATION: this client goes to ERROR unprompted.
        health.onStateChange(PENDING_ERROR, RUNNING);
        health.onStateChange(ERROR, PENDING_ERROR);
        assertThat(health.problem()).hasValue("The request stream stopped: Kafka Streams moved it to state ERROR without an error in "
                + "this service; another instance with application id '" + APP_ID + "' may have shut the whole application down "
                + "(see its log)." + UNTIL_RESTART);
        assertThat(stoppedLines()).hasSize(1);

        RequestStreamHealth shutDown = new RequestStreamHealth(KAFKA, APP_ID, TopicCatalog.defaults(), RUNNING, new SimpleMeterRegistry());
        shutDown.onStateChange(PENDING_SHUTDOWN, RUNNING);
        shutDown.onStateChange(NOT_RUNNING, PENDING_SHUTDOWN);
        assertThat(shutDown.problem()).hasValue("The request stream stopped: Kafka Streams shut it down (state PENDING_SHUTDOWN) "
                + "although the service did not ask it to." + UNTIL_RESTART);
    }

    @Test
    void startingAMissingTopicAndTheServiceClosingTheStreamAreNoFailure() {
        health.onStateChange(REBALANCING, CREATED);
        StreamThreadExceptionResponse response = health.onUncaughtException(new StreamsException(
                new MissingSourceTopicException("One or more source topics were missing during rebalance")));
        assertThat(response).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(health.problem()).isEmpty();

        health.onStateChange(RUNNING, REBALANCING);
        health.closing();
        health.onStateChange(PENDING_SHUTDOWN, RUNNING);
        health.onStateChange(NOT_RUNNING, PENDING_SHUTDOWN);
        assertThat(health.problem()).isEmpty();
        assertThat(stoppedGauge()).isZero();
        assertThat(stoppedLines()).isEmpty();
    }

    private void running() {
        health.onStateChange(REBALANCING, CREATED);
        health.onStateChange(RUNNING, REBALANCING);
        assertThat(health.running()).isTrue();
    }

    private double stoppedGauge() {
        return meters.get(MetricNames.GENERATOR_STREAM_STOPPED).gauge().value();
    }

    private String logText() {
        synchronized (log) {
            return log.toString(StandardCharsets.UTF_8);
        }
    }

    private List<String> stoppedLines() {
        return logText().lines().filter(line -> line.contains("The request stream stopped")).toList();
    }
}
