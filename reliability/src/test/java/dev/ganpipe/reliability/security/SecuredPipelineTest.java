package dev.ganpipe.reliability.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ganpipe.broker.EmbeddedKafka;
import dev.ganpipe.broker.LocalPorts;
import dev.ganpipe.common.Service;
import dev.ganpipe.common.config.ConfigValues;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.kafka.TopicSetup;
import dev.ganpipe.common.metrics.MeterRegistries;
import dev.ganpipe.generator.GeneratorConfig;
import dev.ganpipe.generator.GeneratorService;
import dev.ganpipe.ingest.IngestConfig;
import dev.ganpipe.ingest.IngestService;
import dev.ganpipe.reliability.CapturedLog;
import dev.ganpipe.trainer.TrainerConfig;
import dev.ganpipe.trainer.TrainerService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One broker that requires SASL/SCRAM-SHA-512 logins and enforces ACLs (StandardAuthorizer, no ACL means denied),
 * with the users of docs/security.md and exactly the ACLs its {@code kafka-acls} lines grant. The services are
 * configured as an operator would: credentials only in a {@code --kafka-config} file or {@code GAN_KAFKA_CLIENT_*}
 * variables, default topic names, group and application ids.
 */
class SecuredPipelineTest {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String ADMIN = "admin";
    private static final String NO_TXN_APP_ID = "gan-ingest-no-txn";
    private static final Map<String, String> PASSWORDS = Map.of(
            "ingest", "ingest-secret", "trainer", "trainer-secret", "generator", "generator-secret",
            // Logs in fine, but no ACL names it.
            "intruder", "intruder-secret",
            // Has ingest's documented ACLs except the one on the transactional ids.
            "ingest-no-txn", "ingest-no-txn-secret");

    @TempDir
    static Path brokerDir;

    private static EmbeddedKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSecuredBroker() {
        List<AclBinding> documented = DocumentedAcls.all();
        List<AclBinding> ingestWithoutTransactions = documented.stream()
                .filter(b -> b.entry().principal().equals("User:ingest"))
                .filter(b -> b.pattern().resourceType() != ResourceType.TRANSACTIONAL_ID)
                // Its own application id (group and internal topics), so that its crashed member never delays another test's.
                .map(b -> new AclBinding(b.pattern().name().equals("gan-ingest")
                        ? new ResourcePattern(b.pattern().resourceType(), NO_TXN_APP_ID, b.pattern().patternType()) : b.pattern(),
                        new AccessControlEntry("User:ingest-no-txn", b.entry().host(), b.entry().operation(), b.entry().permissionType())))
                .toList();
        EmbeddedKafka.Builder builder = EmbeddedKafka.builder(brokerDir.resolve("kafka")).scram(ADMIN, "admin-secret").authorizer()
                .acls(documented).acls(ingestWithoutTransactions);
        PASSWORDS.forEach(builder::user);
        kafka = builder.start();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void thePipelineRunsOnASecuredBrokerWithCredentialsFromConfigurationAndExactlyTheDocumentedAcls() throws Exception {
        TopicCatalog topics = TopicCatalog.defaults();
        // ingest: credentials from GAN_KAFKA_CLIENT_* alone; it creates the topics itself (--create-topics true).
        Map<String, String> env = clientEnv("ingest", PASSWORDS.get("ingest"));
        IngestConfig ingestConfig = IngestConfig.from(IngestConfig.values(List.of("--bootstrap-servers", kafka.bootstrapServers(),
                "--port", "0", "--http-host", "127.0.0.1", "--state-dir", dir.resolve("ingest-state").toString(), "--dedup",
                "--limit", "40", "--progress", "off"), env), env);
        try (IngestService ingest = IngestService.start(ingestConfig, MeterRegistries.prometheus("ingest"))) {
            await().atMost(WAIT).until(ingest::ready);
            SampleIngest.sendsAll(ingestConfig, 40);
            assertThat(TopicReader.readAll(admin(), topics.imagesTrain(), 40)).hasSize(40);
        }

        // trainer: credentials from a --kafka-config file; trains on images.train and publishes to models.generator.
        TrainerConfig trainerConfig = TrainerConfig.of("--bootstrap-servers", kafka.bootstrapServers(),
                "--kafka-config", clientFile("trainer").toString(), "--port", "0", "--host", "127.0.0.1",
                "--batch-size", "16", "--max-steps", "4", "--export-every-steps", "2", "--sample-every-steps", "2",
                "--generator-width", "16", "--discriminator-width", "16",
                "--models-dir", dir.resolve("trainer-models").toString(), "--samples-dir", dir.resolve("samples").toString(),
                "--checkpoint-dir", dir.resolve("checkpoints").toString());
        try (TrainerService trainer = TrainerService.start(trainerConfig, MeterRegistries.prometheus("trainer"))) {
            assertThat(trainer.awaitTermination(Duration.ofMinutes(5))).as("the trainer reaches --max-steps").isTrue();
        }
        assertThat(TopicReader.readAll(admin(), topics.modelsGenerator(), 1)).isNotEmpty();

        // generator-service: credentials from a --kafka-config file; loads the model from the topic (its models
        // directory is empty) and answers a request on synthetic.requests.
        GeneratorConfig generatorConfig = GeneratorConfig.from(ConfigValues.parse(GeneratorConfig.spec(), List.of(
                "--bootstrap-servers", kafka.bootstrapServers(), "--kafka-config", clientFile("generator").toString(),
                "--host", "127.0.0.1", "--port", "0", "--allow-unsigned-models", "--models-dir", Files.createDirectories(dir.resolve("served")).toString(),
                "--ort-provider", "cpu"), Map.of()));
        try (GeneratorService generator = GeneratorService.start(generatorConfig, MeterRegistries.prometheus("generator"))) {
            await().atMost(WAIT).until(generator::ready);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(admin().producer("test-requests"),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(topics.syntheticRequests(), "req-1", "{\"count\":3,\"seed\":7,\"label\":2}"))
                        .get(30, TimeUnit.SECONDS);
            }
            assertThat(TopicReader.readAll(admin(), topics.syntheticImages(), 3)).hasSize(3)
                    .allSatisfy(r -> assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("req-1"));
        }
    }

    @Test
    void aWrongPasswordIsReportedAsAnAuthenticationFailureByEveryService() throws Exception {
        String expected = "Authentication failed: Kafka at " + kafka.bootstrapServers() + " rejected the login of user ";
        String check = "Check the user name and password in sasl.jaas.config";

        Map<String, String> env = clientEnv("ingest", "not-the-password");
        IngestConfig ingestConfig = IngestConfig.from(IngestConfig.values(List.of("--bootstrap-servers", kafka.bootstrapServers(),
                "--port", "0", "--http-host", "127.0.0.1", "--state-dir", dir.resolve("ingest-state").toString()), env), env);
        try (IngestService ingest = IngestService.start(ingestConfig, MeterRegistries.prometheus("ingest"))) {
            assertThat(Readyz.awaitNotReady(ingest.port(), expected)).contains(expected + "'ingest' with SCRAM-SHA-512 over SASL_PLAINTEXT", check);
            assertThat(ingest.ready()).isFalse();
        }

        int trainerPort = LocalPorts.free();
        TrainerConfig trainerConfig = TrainerConfig.of("--bootstrap-servers", kafka.bootstrapServers(),
                "--kafka-config", clientFile("trainer", "not-the-password").toString(), "--port", Integer.toString(trainerPort),
                "--host", "127.0.0.1", "--models-dir", dir.resolve("models").toString(), "--samples-dir", dir.resolve("samples").toString(),
                "--checkpoint-dir", dir.resolve("checkpoints").toString());
        try (BlockedStart trainer = BlockedStart.of(() -> TrainerService.start(trainerConfig, MeterRegistries.prometheus("trainer")))) {
            assertThat(Readyz.awaitNotReady(trainerPort, expected)).contains(expected + "'trainer'", check);
            assertThat(trainer.started()).as("the trainer waits for a broker that lets it in").isFalse();
        }

        GeneratorConfig generatorConfig = GeneratorConfig.from(ConfigValues.parse(GeneratorConfig.spec(), List.of(
                "--bootstrap-servers", kafka.bootstrapServers(), "--kafka-config", clientFile("generator", "not-the-password").toString(),
                "--host", "127.0.0.1", "--port", "0", "--allow-unsigned-models", "--models-dir", Files.createDirectories(dir.resolve("served")).toString(),
                "--ort-provider", "cpu"), Map.of()));
        try (GeneratorService generator = GeneratorService.start(generatorConfig, MeterRegistries.prometheus("generator"))) {
            assertThat(Readyz.awaitNotReady(generator.port(), expected)).contains(expected + "'generator'", check);
        }
    }

    @Test
    void aPrincipalWithoutTheNeededAclsIsToldWhatItWasDenied() throws Exception {
        String expected = "Authorization failed: Kafka at " + kafka.bootstrapServers() + " denied user 'intruder' access to topic(s) ";
        String fix = "grant it the ACLs docs/security.md lists for this service";

        int trainerPort = LocalPorts.free();
        TrainerConfig trainerConfig = TrainerConfig.of("--bootstrap-servers", kafka.bootstrapServers(),
                "--kafka-config", clientFile("intruder").toString(), "--port", Integer.toString(trainerPort),
                "--host", "127.0.0.1", "--models-dir", dir.resolve("models").toString(), "--samples-dir", dir.resolve("samples").toString(),
                "--checkpoint-dir", dir.resolve("checkpoints").toString());
        try (BlockedStart trainer = BlockedStart.of(() -> TrainerService.start(trainerConfig, MeterRegistries.prometheus("trainer")))) {
            assertThat(Readyz.awaitNotReady(trainerPort, expected)).contains(expected + "[images.train, models.generator]", fix);
            assertThat(trainer.started()).isFalse();
        }

        // Ingest may log in, but not create topics (the ACL of --create-topics true is missing for this principal).
        Map<String, String> env = clientEnv("intruder", PASSWORDS.get("intruder"));
        IngestConfig ingestConfig = IngestConfig.from(IngestConfig.values(List.of("--bootstrap-servers", kafka.bootstrapServers(),
                "--port", "0", "--http-host", "127.0.0.1", "--state-dir", dir.resolve("ingest-state").toString()), env), env);
        try (IngestService ingest = IngestService.start(ingestConfig, MeterRegistries.prometheus("ingest"))) {
            assertThat(Readyz.awaitNotReady(ingest.port(), "Authorization failed")).contains("Authorization failed: Kafka", "topic", fix);
        }
    }

    @Test
    void aStreamsAppWithoutItsTransactionalIdAclSaysWhichAclIsMissing() throws Exception {
        try (Admin admin = Admin.create(admin().admin("test-topics"))) {
            TopicSetup.ensure(admin, TopicCatalog.defaults(), 3, (short) 1);
        }
        Map<String, String> env = clientEnv("ingest-no-txn", PASSWORDS.get("ingest-no-txn"));
        IngestConfig ingestConfig = IngestConfig.from(IngestConfig.values(List.of("--bootstrap-servers", kafka.bootstrapServers(),
                "--port", "0", "--http-host", "127.0.0.1", "--state-dir", dir.resolve("ingest-state").toString(),
                "--create-topics", "false", "--application-id", NO_TXN_APP_ID), env), env);
        try (IngestService ingest = IngestService.start(ingestConfig, MeterRegistries.prometheus("ingest"))) {
            assertThat(Readyz.awaitNotReady(ingest.port(), "Authorization failed")).contains(
                    "The ingest normaliser stopped: Authorization failed: Kafka at " + kafka.bootstrapServers()
                            + " denied user 'ingest-no-txn' a transactional id",
                    "Write and Describe on the transactional ids prefixed with its application id",
                    "grant it the ACLs docs/security.md lists for this service");
        }
    }

    @Test
    void theRequestStreamOfAPrincipalWithoutAclsLogsWhatItWasDenied() throws Exception {
        try (Admin admin = Admin.create(admin().admin("test-topics"))) {
            TopicSetup.ensure(admin, TopicCatalog.defaults(), 3, (short) 1);
        }
        GeneratorConfig config = GeneratorConfig.from(ConfigValues.parse(GeneratorConfig.spec(), List.of(
                "--bootstrap-servers", kafka.bootstrapServers(), "--kafka-config", clientFile("intruder").toString(),
                "--host", "127.0.0.1", "--port", "0", "--allow-unsigned-models", "--models-dir", Files.createDirectories(dir.resolve("served")).toString(),
                "--models-from-topic", "false", "--requests-app-id", "intruder-requests", "--ort-provider", "cpu"), Map.of()));
        String logged;
        try (CapturedLog log = new CapturedLog()) {
            try (GeneratorService generator = GeneratorService.start(config, MeterRegistries.prometheus("generator"))) {
                await().atMost(WAIT).until(() -> log.text().contains("The request stream stopped: Authorization failed"));
                assertThat(generator.ready()).isFalse();
            }
            logged = log.text();
        }
        assertThat(logged).contains("denied user 'intruder'", "docs/security.md");
    }

    /** A service start that blocks (the trainer waits for the broker), run on its own thread and interrupted on close. */
    private static final class BlockedStart implements AutoCloseable {
        private final Thread thread;
        private final AtomicReference<Service> service = new AtomicReference<>();
        private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

        private BlockedStart(Supplier<? extends Service> start) {
            this.thread = Thread.ofPlatform().name("blocked-start").start(() -> {
                try {
                    service.set(start.get());
                } catch (RuntimeException e) {
                    failure.set(e);
                }
            });
        }

        static BlockedStart of(Supplier<? extends Service> start) {
            return new BlockedStart(start);
        }

        boolean started() {
            return service.get() != null;
        }

        @Override
        public void close() {
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while stopping a service's start-up thread.", e);
            }
            assertThat(thread.isAlive()).as("the start-up thread stops when interrupted").isFalse();
            RuntimeException failed = failure.get();
            if (failed != null && !(failed.getCause() instanceof InterruptedException)) {
                throw failed; // anything but the interruption that ended the wait is the test's business
            }
            if (service.get() != null) {
                service.get().close();
            }
        }
    }

    /** The environment an operator would set instead of a file. */
    private static Map<String, String> clientEnv(String user, String password) {
        Map<String, String> env = new HashMap<>();
        kafka.clientProperties(user, password).forEach((key, value) ->
                env.put("GAN_KAFKA_CLIENT_" + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_'), value));
        return env;
    }

    private Path clientFile(String user) throws IOException {
        return clientFile(user, PASSWORDS.get(user));
    }

    /** A --kafka-config file as docs/security.md shows it. */
    private Path clientFile(String user, String password) throws IOException {
        Properties props = new Properties();
        props.putAll(kafka.clientProperties(user, password));
        Path file = dir.resolve(user + "-" + Integer.toHexString(password.hashCode()) + ".properties");
        try (var out = Files.newBufferedWriter(file)) {
            props.store(out, "Kafka client settings of " + user);
        }
        return file;
    }

    private static KafkaSettings admin() {
        return new KafkaSettings(kafka.bootstrapServers(), kafka.superUserProperties());
    }
}
