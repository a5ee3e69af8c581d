package dev.ganpipe.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

class KafkaAccessExceptionTest {

    private final KafkaSettings scram = new KafkaSettings("broker:9093", Map.of(
            "security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"ingest\" password=\"s3cret\";"));

    @Test
    void aRejectedLoginDeepInACauseChainBecomesASentenceNamingUserAndWhatToCheckButNotThePassword() {
        Throwable wrapped = new StreamsException(new ExecutionException(new SaslAuthenticationException("invalid credentials")));

        KafkaAccessException e = KafkaAccessException.of(wrapped, scram).orElseThrow();

        assertThat(e.authentication()).isTrue();
        assertThat(e.getMessage()).startsWith("Authentication failed: Kafka at broker:9093 rejected the login of user 'ingest' "
                        + "with SCRAM-SHA-512 over SASL_SSL (invalid credentials).")
                .contains("Check the user name and password in sasl.jaas.config").doesNotContain("s3cret");
        assertThat(e.getCause()).isSameAs(wrapped);
    }

    @Test
    void aMissingAclNamesTheTopicsOrTheGroupAndPointsAtTheDocumentedAcls() {
        KafkaAccessException topics = KafkaAccessException.of(
                new TopicAuthorizationException("denied", Set.of("models.generator", "images.train")), scram).orElseThrow();
        KafkaAccessException group = KafkaAccessException.of(new GroupAuthorizationException("denied", "gan-trainer"), scram).orElseThrow();

        assertThat(topics.authentication()).isFalse();
        assertThat(topics.getMessage()).startsWith("Authorization failed: Kafka at broker:9093 denied user 'ingest' access to topic(s) "
                + "[images.train, models.generator]").contains("docs/security.md");
        assertThat(topics.unauthorizedTopics()).containsExactlyInAnyOrder("images.train", "models.generator");
        assertThat(group.getMessage()).contains("denied user 'ingest' the consumer group 'gan-trainer'");
    }

    @Test
    void otherFailuresAreNotAccessFailures() {
        assertThat(KafkaAccessException.of(new TimeoutException("no broker"), scram)).isEmpty();
        assertThat(KafkaAccessException.of(new IllegalStateException("x", new RuntimeException("y")))).isEmpty();
    }
}
