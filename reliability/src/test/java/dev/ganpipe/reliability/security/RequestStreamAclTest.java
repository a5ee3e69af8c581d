package dev.ganpipe.reliability.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ganpipe.broker.EmbeddedKafka;
import dev.ganpipe.common.Json;
import dev.ganpipe.common.config.ConfigValues;
import dev.ganpipe.common.image.Hashes;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.kafka.TopicSetup;
import dev.ganpipe.common.metrics.MeterRegistries;
import dev.ganpipe.common.model.ModelDirectory;
import dev.ganpipe.common.model.ModelManifest;
import dev.ganpipe.common.model.ModelMetadata;
import dev.ganpipe.generator.GeneratorConfig;
import dev.ganpipe.generator.GeneratorService;
import dev.ganpipe.generator.http.GeneratorApi;
import dev.ganpipe.reliability.CapturedLog;
import dev.ganpipe.trainer.gan.GanConfig;
import dev.ganpipe.trainer.gan.GanTrainingCore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator's request stream on a secured broker (SASL/SCRAM, ACLs as docs/security.md lists them) when its
 * principal lacks one of the ACLs the stream needs: the stream thread dies, {@code /readyz} answers 503 with a
 * sentence that names the missing ACL and the {@code kafka-acls} line that grants it, {@code gan_generator_stream_stopped}
 * is 1 and one ERROR line is logged, while {@code GET /v1/generate} keeps serving. A stopped Streams client does not
 * start again by itself: once the ACL is granted, a restarted service is ready and answers requests.
 */
class RequestStreamAclTest {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String ADMIN = "admin";
    private static final String MODEL_NAME = "fashion-dcgan28";
    /** Has the generator's documented ACLs except Read on synthetic.requests. */
    private static final String NO_READ = "generator-no-read";
    /** Has the generator's documented ACLs except Read on its consumer group. */
    private static final String NO_GROUP = "generator-no-group";
    private static final Map<String, String> PASSWORDS = Map.of(NO_READ, "no-read-secret", NO_GROUP, "no-group-secret");
    private static final Pattern GRANT = Pattern.compile("kafka-acls --add (--allow-principal [^;)]+)");

    @TempDir
    static Path brokerDir;

    private static EmbeddedKafka kafka;
    private static byte[] onnx;
    private static ModelManifest manifest;

    @TempDir
    Path dir;

    private CapturedLog log;
    private HttpClient http;

    @BeforeAll
    static void startSecuredBrokerAndTrainAModel() {
        TopicCatalog topics = TopicCatalog.defaults();
        List<AclBinding> generator = DocumentedAcls.all().stream().filter(b -> b.entry().principal().equals("User:generator")).toList();
        EmbeddedKafka.Builder builder = EmbeddedKafka.builder(brokerDir.resolve("kafka")).scram(ADMIN, "admin-secret").authorizer()
                .acls(aclsOf(generator, NO_READ, b -> b.pattern().resourceType() == ResourceType.TOPIC
                        && b.pattern().name().equals(topics.syntheticRequests()) && b.entry().operation() == AclOperation.READ))
                .acls(aclsOf(generator, NO_GROUP, b -> b.pattern().resourceType() == ResourceType.GROUP));
        PASSWORDS.forEach(builder::user);
        kafka = builder.start();
        try (Admin admin = Admin.create(admin().admin("test-topics"))) {
            TopicSetup.ensure(admin, topics, 3, (short) 1);
        }
        trainModel();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @BeforeEach
    void captureLog() {
        log = new CapturedLog();
        http = HttpClient.newHttpClient();
    }

    @AfterEach
    void restoreLog() {
        log.close();
        http.close();
    }

    @Test
    void withoutReadOnTheRequestsTopicReadyzSaysWhichAclIsMissingWhileHttpKeepsServingAndARestartAfterTheGrantRecovers()
            throws Exception {
        GeneratorConfig config = config(NO_READ);
        String sentence;
        try (GeneratorService generator = GeneratorService.start(config, MeterRegistries.prometheus("generator"))) {
            sentence = awaitStreamStopped(generator.port());
            assertThat(sentence)
                    .startsWith("The request stream stopped: Authorization failed: Kafka at " + kafka.bootstrapServers() + " denied user '"
                            + NO_READ + "' access to topic(s) [synthetic.requests]")
                    .contains("grant it the ACLs docs/security.md lists for this service",
                            "The request stream lacks Read on topic synthetic.requests (kafka-acls --add --allow-principal User:"
                                    + NO_READ + " --operation Read --topic synthetic.requests).",
                            "Its thread died of a TopicAuthorizationException.")
                    .endsWith(" Until the service is restarted, synthetic.requests goes unanswered; GET /v1/generate keeps serving.");

            assertHttpGenerationServes(generator.port());
            assertThat(generator.ready()).isFalse();
            assertThat(get(generator.port(), "/metrics").body()).containsPattern("(?m)^gan_generator_stream_stopped\\{[^}]*\\} 1\\.0$");
            // /readyz was polled many times meanwhile: still the one line the stream logged when it stopped.
            assertThat(stoppedLines()).as("log lines of the stop").singleElement().asString().contains("ERROR", sentence);

            // The ACL the sentence names, granted with the command it gives; the stopped client stays stopped.
            grant(sentence);
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(30)).until(() -> {
                HttpResponse<String> readyz = get(generator.port(), "/readyz");
                return readyz.statusCode() == 503 && message(readyz).equals(sentence);
            });
            assertHttpGenerationServes(generator.port());
        }

        // The restart the sentence asks for: ready, and the stream answers a request.
        try (GeneratorService generator = GeneratorService.start(config, MeterRegistries.prometheus("generator"))) {
            await().atMost(WAIT).until(generator::ready);
            assertThat(get(generator.port(), "/readyz").statusCode()).isEqualTo(200);
            assertThat(get(generator.port(), "/metrics").body()).containsPattern("(?m)^gan_generator_stream_stopped\\{[^}]*\\} 0\\.0$");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(admin().producer("test-requests"),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(TopicCatalog.defaults().syntheticRequests(), "req-after-grant", "{\"count\":2,\"seed\":5}"))
                        .get(30, TimeUnit.SECONDS);
            }
            assertThat(TopicReader.readAll(admin(), TopicCatalog.defaults().syntheticImages(),
                    r -> r.key() != null && "req-after-grant".equals(new String(r.key(), StandardCharsets.UTF_8)), 2)).hasSize(2);
        }
        assertThat(stoppedLines()).as("the restarted stream did not stop").hasSize(1);
    }

    @Test
    void withoutReadOnItsConsumerGroupReadyzNamesTheGroupAcl() throws Exception {
        try (GeneratorService generator = GeneratorService.start(config(NO_GROUP), MeterRegistries.prometheus("generator"))) {
            String sentence = awaitStreamStopped(generator.port());
            assertThat(sentence)
                    .startsWith("The request stream stopped: Authorization failed: Kafka at " + kafka.bootstrapServers() + " denied user '"
                            + NO_GROUP + "' the consumer group")
                    .contains("The request stream lacks Read on the consumer group " + appId(NO_GROUP) + " (kafka-acls --add "
                            + "--allow-principal User:" + NO_GROUP + " --operation Read --group " + appId(NO_GROUP) + ").",
                            "Its thread died of a GroupAuthorizationException.");
            assertHttpGenerationServes(generator.port());
            assertThat(stoppedLines()).hasSize(1);
        }
    }

    /**
     * The generator's documented ACLs for {@code principal} instead of {@code User:generator}, less those {@code left}
     * matches, with its own application id as group and transactional-id prefix (so that the tests never share a group).
     */
    private static List<AclBinding> aclsOf(List<AclBinding> generator, String principal, Predicate<AclBinding> left) {
        return generator.stream().filter(left.negate())
                .map(b -> new AclBinding(b.pattern().name().equals("gan-generator-requests")
                        ? new ResourcePattern(b.pattern().resourceType(), appId(principal), b.pattern().patternType()) : b.pattern(),
                        new AccessControlEntry("User:" + principal, b.entry().host(), b.entry().operation(), b.entry().permissionType())))
                .toList();
    }

    private static String appId(String principal) {
        return "gan-" + principal;
    }

    /** A generator as an operator configures it: credentials in a --kafka-config file, a model in its directory. */
    private GeneratorConfig config(String user) throws IOException {
        Properties props = new Properties();
        props.putAll(kafka.clientProperties(user, PASSWORDS.get(user)));
        Path file = dir.resolve(user + ".properties");
        try (var out = Files.newBufferedWriter(file)) {
            props.store(out, "Kafka client settings of " + user);
        }
        Path models = dir.resolve("models");
        new ModelDirectory(models).write(manifest, onnx);
        return GeneratorConfig.from(ConfigValues.parse(GeneratorConfig.spec(), List.of(
                "--bootstrap-servers", kafka.bootstrapServers(), "--kafka-config", file.toString(),
                "--host", "127.0.0.1", "--port", "0", "--allow-unsigned-models", "--models-from-topic", "false", "--models-dir", models.toString(),
                "--requests-app-id", appId(user), "--ort-provider", "cpu"), Map.of()));
    }

    /** Polls {@code /readyz} until it answers 503 with the request stream's sentence; returns that sentence. */
    private String awaitStreamStopped(int port) {
        AtomicReference<String> sentence = new AtomicReference<>("");
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            HttpResponse<String> readyz = get(port, "/readyz");
            sentence.set(message(readyz));
            return readyz.statusCode() == 503 && Json.mapper().readTree(readyz.body()).path("error").asText().equals("not_ready")
                    && sentence.get().startsWith("The request stream stopped");
        });
        return sentence.get();
    }

    private void assertHttpGenerationServes(int port) throws Exception {
        for (int seed = 1; seed <= 3; seed++) {
            HttpResponse<String> generated = get(port, "/v1/generate?count=4&seed=" + seed);
            assertThat(generated.statusCode()).as("GET /v1/generate while the request stream is down").isEqualTo(200);
            assertThat(generated.headers().firstValue("Content-Type")).hasValue("image/png");
            assertThat(generated.headers().firstValue(GeneratorApi.MODEL_VERSION_HEADER)).hasValue("1");
        }
    }

    /** Grants what the sentence's {@code kafka-acls --add ...} commands grant, read as the tool reads them. */
    private static void grant(String sentence) throws Exception {
        List<AclBinding> bindings = new ArrayList<>();
        Matcher m = GRANT.matcher(sentence);
        while (m.find()) {
            bindings.addAll(DocumentedAcls.parse(m.group(1)));
        }
        assertThat(bindings).as("the kafka-acls commands in: " + sentence).isNotEmpty();
        try (Admin admin = Admin.create(admin().admin("test-grant"))) {
            admin.createAcls(bindings).all().get(30, TimeUnit.SECONDS);
        }
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String message(HttpResponse<String> response) throws IOException {
        return Json.mapper().readTree(response.body()).path("message").asText();
    }

    private List<String> stoppedLines() {
        return log.lines().stream().filter(line -> line.contains("The request stream stopped")).toList();
    }

    private static KafkaSettings admin() {
        return new KafkaSettings(kafka.bootstrapServers(), kafka.superUserProperties());
    }

    /** A real generator: a 28x28 DCGAN trained for two steps and exported by the trainer's own code. */
    private static void trainModel() {
        GanConfig gan = GanConfig.dcgan28().withSeed(11);
        try (GanTrainingCore core = new GanTrainingCore(gan)) {
            Random random = new Random(11);
            float[] real = new float[8 * gan.imageElements()];
            for (int step = 0; step < 2; step++) {
                for (int i = 0; i < real.length; i++) {
                    real[i] = random.nextFloat() * 2f - 1f;
                }
                core.trainStep(real, null, 8);
            }
            onnx = core.exportGeneratorOnnx(Map.of(ModelMetadata.STEP, Long.toString(core.step()), "dataset", "reliability-test"));
            manifest = new ModelManifest(MODEL_NAME, 1, Hashes.sha256(onnx), core.step(), Instant.parse("2025-01-01T00:00:00Z"),
                    "28x28x1", gan.noiseDim(), Map.of());
        }
    }
}
