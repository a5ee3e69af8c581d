package dev.ganpipe.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ganpipe.common.config.ConfigException;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.kafka.TopicSetup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {

    @TempDir
    Path dir;

    @Test
    void createsThePipelineTopicsAndKeepsRecordsAcrossARestart() throws Exception {
        TopicCatalog topics = TopicCatalog.defaults();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
            KafkaSettings settings = KafkaSettings.of(kafka.bootstrapServers());
            try (Admin admin = Admin.create(settings.admin("test"))) {
                assertThat(TopicSetup.ensure(admin, topics, 2, (short) 1)).contains("images.raw", "models.generator");
                assertThat(TopicSetup.ensure(admin, topics, 2, (short) 1)).isEmpty();
                ConfigResource models = new ConfigResource(ConfigResource.Type.TOPIC, "models.generator");
                Config config = admin.describeConfigs(Set.of(models)).all().get().get(models);
                assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
                assertThat(config.get("max.message.bytes").value()).isEqualTo(Integer.toString(KafkaSettings.MAX_MODEL_BYTES));
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(settings.producer("test"), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("synthetic.requests", "k", "{\"count\":1}")).get();
            }
        }
        try (EmbeddedKafka again = EmbeddedKafka.start(dir, 0);
             KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                     KafkaSettings.of(again.bootstrapServers()).consumer("test", "g"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("synthetic.requests"));
            List<ConsumerRecord<String, String>> seen = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (seen.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            }
            assertThat(seen).extracting(ConsumerRecord::value).containsExactly("{\"count\":1}");
            assertThat(Map.of("port", again.port())).isNotEmpty();
        }
    }

    /**
     * A second broker on a data directory in use used to corrupt the first one's metadata log (the first then failed
     * fatally and spun); it must be refused before it touches anything, and the first must keep working.
     */
    @Test
    void aSecondBrokerOnTheSameDataDirectoryIsRefusedAndTheFirstKeepsWorking() throws Exception {
        try (EmbeddedKafka first = EmbeddedKafka.start(dir, 0)) {
            assertThatThrownBy(() -> EmbeddedKafka.start(dir, 0))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("is in use by another embedded broker (pid " + ProcessHandle.current().pid())
                    .hasMessageContaining("--data-dir");
            try (Admin admin = Admin.create(KafkaSettings.of(first.bootstrapServers()).admin("test"))) {
                admin.createTopics(List.of(new NewTopic("after.refusal", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
                // The broker's metadata cache learns of a new topic a moment after the controller created it.
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS).contains("after.refusal"));
            }
        }
        try (EmbeddedKafka again = EmbeddedKafka.start(dir, 0);
             Admin admin = Admin.create(KafkaSettings.of(again.bootstrapServers()).admin("test"))) {
            await("the directory is free once the first stopped, with its topic").atMost(Duration.ofSeconds(30))
                    .until(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS).contains("after.refusal"));
        }
    }

    @Test
    void aSecuredBrokerLetsInOnlyItsScramUsersAndKeepsThemAcrossARestart() throws Exception {
        Path data = dir.resolve("secured");
        try (EmbeddedKafka kafka = EmbeddedKafka.builder(data).scram("admin", "admin-secret").user("alice", "alice-secret").start()) {
            assertThat(kafka.secured()).isTrue();
            try (Admin admin = Admin.create(new KafkaSettings(kafka.bootstrapServers(), kafka.clientProperties("alice", "alice-secret")).admin("alice"))) {
                assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
            }
            try (Admin admin = Admin.create(new KafkaSettings(kafka.bootstrapServers(), kafka.clientProperties("alice", "wrong")).admin("mallory"))) {
                assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(SaslAuthenticationException.class);
            }
            try (Admin admin = Admin.create(KafkaSettings.of(kafka.bootstrapServers()).admin("plaintext"))) {
                // A plaintext client cannot even speak to a SASL listener: it times out rather than being refused.
                assertThatThrownBy(() -> admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000)).nodes().get(30, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class);
            }
        }
        try (EmbeddedKafka again = EmbeddedKafka.builder(data).scram("admin", "admin-secret").start();
             Admin admin = Admin.create(new KafkaSettings(again.bootstrapServers(), again.clientProperties("alice", "alice-secret")).admin("alice"))) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
        }
    }

    @Test
    void aTlsBrokerServesClientsThatTrustItsCaAndFailsTheHandshakeOfOthers() throws Exception {
        Certificates certificates = Certificates.create(dir.resolve("certificates"));
        try (EmbeddedKafka kafka = EmbeddedKafka.builder(dir.resolve("tls")).tls(certificates).start()) {
            assertThat(kafka.securityProtocol()).isEqualTo(SecurityProtocol.SSL);
            assertThat(kafka.clientProperties()).containsEntry("security.protocol", "SSL")
                    .containsEntry("ssl.truststore.location", certificates.truststore().toString());
            try (Admin admin = Admin.create(new KafkaSettings(kafka.bootstrapServers(), kafka.clientProperties()).admin("trusting"))) {
                assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
            }
            // The JDK's default truststore does not hold the throwaway CA.
            try (Admin admin = Admin.create(new KafkaSettings(kafka.bootstrapServers(), Map.of("security.protocol", "SSL")).admin("untrusting"))) {
                assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(SslAuthenticationException.class);
            }
        }
    }

    @Test
    void clientCertificatesNeedTlsAndTheAuthorizerNeedsIdentities() {
        assertThatThrownBy(() -> EmbeddedKafka.builder(dir).requireClientCertificates().start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("tls(Certificates.create(dir))");
        assertThatThrownBy(() -> EmbeddedKafka.builder(dir).authorizer().start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("requireClientCertificates()");
    }
}
