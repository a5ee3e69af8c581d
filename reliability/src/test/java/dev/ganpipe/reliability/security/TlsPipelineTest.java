package dev.ganpipe.reliability.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.ganpipe.broker.Certificates;
import dev.ganpipe.broker.EmbeddedKafka;
import dev.ganpipe.common.config.ConfigValues;
import dev.ganpipe.common.config.KafkaOptions;
import dev.ganpipe.common.kafka.BrokerWatch;
import dev.ganpipe.common.kafka.KafkaAccessException;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.metrics.MeterRegistries;
import dev.ganpipe.ingest.IngestConfig;
import dev.ganpipe.ingest.IngestService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS settings of docs/security.md, on a broker with a real TLS listener: a throwaway CA and broker certificate made
 * with the JDK's keytool ({@link Certificates}), and client settings taken from the page's {@code properties} examples
 * (its paths and passwords replaced by the test's), passed the way an operator passes them: {@code GAN_KAFKA_CLIENT_*}
 * variables or a {@code --kafka-config} file, read by {@code KafkaOptions} into {@code KafkaSettings}.
 */
class TlsPipelineTest {

    private static final Duration WAIT = Duration.ofSeconds(120);
    /** The principal docs/security.md gives as the example of a client certificate's identity. */
    private static final String DOCUMENTED_PRINCIPAL = "User:CN=ingest,OU=gan";

    @TempDir
    static Path shared;

    private static Certificates certificates;
    /** Server authentication only: the client listener speaks SSL, clients need the CA, nothing else. */
    private static EmbeddedKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void startTlsBroker() {
        certificates = Certificates.create(shared.resolve("certificates"));
        kafka = EmbeddedKafka.builder(shared.resolve("kafka")).tls(certificates).start();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void ingestTakesImagesToTheTrainingTopicOverTlsWithTheDocumentedSettings() throws Exception {
        Map<String, String> documented = serverAuthentication();
        assertThat(documented).containsEntry("security.protocol", "SSL").containsKey("ssl.truststore.location");
        Map<String, String> env = clientEnv(documented);
        IngestConfig config = IngestConfig.from(IngestConfig.values(List.of("--bootstrap-servers", kafka.bootstrapServers(),
                "--port", "0", "--http-host", "127.0.0.1", "--state-dir", dir.resolve("ingest-state").toString(),
                "--limit", "10", "--progress", "off"), env), env);
        assertThat(config.kafka().clientProperties()).isEqualTo(documented);
        try (IngestService ingest = IngestService.start(config, MeterRegistries.prometheus("ingest"))) {
            await().atMost(WAIT).until(ingest::ready);
            SampleIngest.sendsAll(config, 10);
            // Through the normaliser (Kafka Streams, exactly-once, over TLS too) to the topic the trainer reads.
            assertThat(TopicReader.readAll(superUser(), TopicCatalog.defaults().imagesTrain(), 10)).hasSizeGreaterThanOrEqualTo(10);
        }
    }

    @Test
    void adminProducerAndConsumerConnectOverTlsFromTheDocumentedKafkaConfigFile() throws Exception {
        Path file = configFile("tls-client", serverAuthentication());
        KafkaSettings settings = KafkaOptions.kafka(ConfigValues.parse(KafkaOptions.spec(),
                List.of("--bootstrap-servers", kafka.bootstrapServers(), "--kafka-config", file.toString()), Map.of()), Map.of());
        assertThat(settings.clientProperties()).containsEntry("security.protocol", "SSL");
        roundTrip(settings, "tls.file-check");
    }

    @Test
    void aClientWithoutTheTruststoreIsToldTheTlsHandshakeFailedAndWhatToSet() throws Exception {
        Map<String, String> withoutTruststore = new HashMap<>(serverAuthentication());
        withoutTruststore.keySet().removeIf(key -> key.startsWith("ssl.truststore."));
        Map<String, String> env = clientEnv(withoutTruststore);
        IngestConfig config = IngestConfig.from(IngestConfig.values(List.of("--bootstrap-servers", kafka.bootstrapServers(),
                "--port", "0", "--http-host", "127.0.0.1", "--state-dir", dir.resolve("ingest-state").toString()), env), env);
        String expected = "The TLS handshake with Kafka at " + kafka.bootstrapServers() + " failed (";
        try (IngestService ingest = IngestService.start(config, MeterRegistries.prometheus("ingest"))) {
            String body = Readyz.awaitNotReady(ingest.port(), expected);
            assertThat(body).contains(expected + "the broker's certificate is not signed by a CA this client trusts",
                    "Check ssl.truststore.location and ssl.truststore.password");
            assertThat(ingest.ready()).isFalse();
        }
    }

    @Test
    void aClientLeftOnPlaintextSeesTheTlsListenerAsUnreachableNotAsRefused() {
        // No security.protocol: the client speaks plaintext and the broker never answers, so the sentence must say
        // what to set for TLS.
        try (BrokerWatch watch = BrokerWatch.start(KafkaSettings.of(kafka.bootstrapServers()), "tls-test")) {
            await().atMost(WAIT).until(() -> watch.problem().filter(p -> p.contains("is unreachable")).isPresent());
            assertThat(watch.reachable()).isFalse();
            assertThat(watch.problem().orElseThrow()).contains("set security.protocol=SSL (or SASL_SSL) and ssl.truststore.location")
                    .contains("a client on PLAINTEXT gets no answer from a TLS listener");
        }
    }

    @Test
    void withMutualTlsTheCertificateSubjectIsThePrincipalTheAclsName() throws Exception {
        assertThat(Files.readString(DocumentedAcls.SECURITY_DOC)).contains("`" + DOCUMENTED_PRINCIPAL + "`");
        String topic = "tls.mutual";
        List<AclBinding> acls = new ArrayList<>();
        for (AclOperation operation : List.of(AclOperation.WRITE, AclOperation.READ)) {
            acls.add(new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                    new AccessControlEntry(DOCUMENTED_PRINCIPAL, "*", operation, AclPermissionType.ALLOW)));
        }
        try (EmbeddedKafka mutual = EmbeddedKafka.builder(dir.resolve("kafka-mtls")).tls(certificates).requireClientCertificates()
                .authorizer().acls(acls).start()) {
            try (Admin admin = Admin.create(new KafkaSettings(mutual.bootstrapServers(), mutual.superUserProperties()).admin("test-topics"))) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            Map<String, String> documented = mutualTls();
            assertThat(documented).containsKeys("ssl.keystore.location", "ssl.keystore.password", "ssl.key.password");

            // The certificate of CN=ingest,OU=gan, with the documented mutual-TLS file: the ACLs of User:CN=ingest,OU=gan apply.
            Path ingestKeystore = certificates.issue("ingest", "CN=ingest,OU=gan");
            KafkaSettings ingest = fromFile(mutual, configFile("ingest-mtls", DocumentedClientConfig.localize(documented,
                    certificates.truststore(), ingestKeystore, certificates.password())));
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(ingest.producer("ingest-mtls"), new StringSerializer(),
                    new StringSerializer())) {
                producer.send(new ProducerRecord<>(topic, "k", "over mutual TLS")).get(30, TimeUnit.SECONDS);
            }
            assertThat(TopicReader.readAll(ingest, topic, 1).stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList())
                    .containsExactly("over mutual TLS");

            // Another certificate of the same CA: logs in, but no ACL names its subject.
            Path otherKeystore = certificates.issue("other", "CN=other,OU=gan");
            KafkaSettings other = fromFile(mutual, configFile("other-mtls", DocumentedClientConfig.localize(documented,
                    certificates.truststore(), otherKeystore, certificates.password())));
            try (Admin admin = Admin.create(other.admin("other-mtls"))) {
                Throwable denied = catchThrowable(() -> admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS));
                assertThat(denied).hasCauseInstanceOf(TopicAuthorizationException.class);
                // (The admin client's exception names no topic.)
                assertThat(KafkaAccessException.of(denied, other).orElseThrow().getMessage())
                        .contains("Authorization failed: Kafka at " + mutual.bootstrapServers() + " denied", "grant it the ACLs");
            }

            // Without a client certificate (the server-authentication file): the handshake fails, and says so.
            KafkaSettings anonymous = fromFile(mutual, configFile("no-certificate", serverAuthentication()));
            try (Admin admin = Admin.create(anonymous.admin("no-certificate"))) {
                Throwable refused = catchThrowable(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS));
                assertThat(refused).hasCauseInstanceOf(SslAuthenticationException.class);
                assertThat(KafkaAccessException.of(refused, anonymous).orElseThrow().getMessage())
                        .contains("The TLS handshake with Kafka at " + mutual.bootstrapServers() + " failed (the broker requires a client "
                                + "certificate (mutual TLS) and this client sent none", "ssl.keystore.*");
            }
        }
    }

    @Test
    void theDocumentedSaslSslFileLogsInWithScramOverTls() throws Exception {
        Map<String, String> documented = DocumentedClientConfig.blocks("SASL/SCRAM").getFirst();
        assertThat(documented).containsEntry("security.protocol", "SASL_SSL");
        // The page's example user and password, as an administrator would have created them.
        try (EmbeddedKafka saslSsl = EmbeddedKafka.builder(dir.resolve("kafka-sasl-ssl")).scram("admin", "admin-secret")
                .user("ingest", "ingest-secret").tls(certificates).start()) {
            KafkaSettings settings = fromFile(saslSsl, configFile("ingest-sasl-ssl", DocumentedClientConfig.localize(documented,
                    certificates.truststore(), null, certificates.password())));
            roundTrip(settings, "tls.sasl-check");
        }
    }

    /** The page's first TLS example (server authentication) with the test's truststore. */
    private static Map<String, String> serverAuthentication() {
        return DocumentedClientConfig.localize(DocumentedClientConfig.blocks("TLS").get(0), certificates.truststore(), null,
                certificates.password());
    }

    /** The page's second TLS example (mutual TLS), as written. */
    private static Map<String, String> mutualTls() {
        return DocumentedClientConfig.blocks("TLS").get(1);
    }

    /** Creates {@code topic} with the admin client of {@code settings}, then writes and reads a record in a consumer group. */
    private static void roundTrip(KafkaSettings settings, String topic) throws Exception {
        try (Admin admin = Admin.create(settings.admin("tls-admin"))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            // The broker's metadata cache learns of a new topic a moment after the controller created it.
            await().atMost(WAIT).until(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic));
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(settings.producer("tls-producer"), new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", "over TLS")).get(30, TimeUnit.SECONDS);
        }
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings.consumer("tls-consumer", "tls-group"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> seen.add(r.value()));
                return !seen.isEmpty();
            });
            consumer.commitSync(Duration.ofSeconds(30));
        }
        assertThat(seen).containsExactly("over TLS");
    }

    /** The settings a service builds from {@code --bootstrap-servers} and {@code --kafka-config file}. */
    private static KafkaSettings fromFile(EmbeddedKafka broker, Path file) {
        return KafkaOptions.kafka(ConfigValues.parse(KafkaOptions.spec(),
                List.of("--bootstrap-servers", broker.bootstrapServers(), "--kafka-config", file.toString()), Map.of()), Map.of());
    }

    /** A {@code --kafka-config} file holding {@code props}. */
    private Path configFile(String name, Map<String, String> props) throws IOException {
        Properties p = new Properties();
        p.putAll(props);
        Path file = dir.resolve(name + ".properties");
        try (var out = Files.newBufferedWriter(file)) {
            p.store(out, "Kafka client settings of " + name);
        }
        return file;
    }

    /** The {@code GAN_KAFKA_CLIENT_*} variables an operator would set instead of a file. */
    private static Map<String, String> clientEnv(Map<String, String> props) {
        Map<String, String> env = new HashMap<>();
        props.forEach((key, value) -> env.put(KafkaOptions.ENV_CLIENT_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_'), value));
        return env;
    }

    private static KafkaSettings superUser() {
        return new KafkaSettings(kafka.bootstrapServers(), kafka.superUserProperties());
    }
}
