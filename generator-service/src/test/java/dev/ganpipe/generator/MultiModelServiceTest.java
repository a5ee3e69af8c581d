package dev.ganpipe.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ganpipe.broker.EmbeddedKafka;
import dev.ganpipe.common.Json;
import dev.ganpipe.common.config.ConfigValues;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.kafka.GanHeaders;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.kafka.TopicSetup;
import dev.ganpipe.common.metrics.MeterRegistries;
import dev.ganpipe.common.model.ModelHeaders;
import dev.ganpipe.common.model.ModelManifest;
import dev.ganpipe.generator.model.ModelRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two models of different names and shapes on one models topic, served side by side by one service as
 * {@code gan generator} runs it: a 12x12 gray conditional model and a 32x32 RGB unconditional one.
 */
class MultiModelServiceTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String RGB_NAME = "cifar-dcgan32";
    private static final String CONDITIONAL_NAME = ConditionalTestModel.NAME;
    private final TopicCatalog topics = TopicCatalog.defaults();

    @Test
    void everyModelNameOnTheTopicIsServedPickedByNameOverHttpAndKafkaAndSwappedAlone(@TempDir Path data) throws Exception {
        TestModels.Trained rgb = TestModels.train(3, RGB_NAME, ImageShape.parse("32x32x3"));
        TestModels.Trained rgbNext = TestModels.train(4, RGB_NAME, ImageShape.parse("32x32x3"));
        byte[] conditional = ConditionalTestModel.onnx();
        try (EmbeddedKafka broker = EmbeddedKafka.start(data.resolve("kafka"), 0)) {
            KafkaSettings kafka = KafkaSettings.of(broker.bootstrapServers());
            try (Admin admin = Admin.create(kafka.admin("test-admin"))) {
                TopicSetup.ensure(admin, topics, 1, (short) 1);
            }
            publish(kafka, ConditionalTestModel.manifest(conditional, 1), conditional);
            publish(kafka, rgb.manifest(1), rgb.onnx());
            GeneratorConfig config = GeneratorConfig.from(ConfigValues.parse(GeneratorConfig.spec(), List.of("--host", "127.0.0.1",
                    "--port", "0", "--allow-unsigned-models", "--bootstrap-servers", broker.bootstrapServers(), "--ort-provider", "cpu"),
                    Map.of()));
            PrometheusMeterRegistry meters = MeterRegistries.prometheus("generator");
            try (GeneratorService service = GeneratorService.start(config, meters);
                 HttpClient http = HttpClient.newHttpClient()) {
                await().atMost(WAIT).until(() -> service.registry().registries().values().stream().filter(ModelRegistry::ready).count() == 2
                        && service.ready());

                HttpResponse<byte[]> unnamed = get(http, service.port(), "/v1/generate?count=1&format=png");
                assertThat(unnamed.statusCode()).as("several models and no --model-name: the caller must choose").isEqualTo(400);
                assertThat(body(unnamed)).contains(RGB_NAME).contains(CONDITIONAL_NAME).contains("model=NAME");

                HttpResponse<byte[]> fromRgb = get(http, service.port(), "/v1/generate?count=2&seed=5&format=npy&model=" + RGB_NAME);
                assertThat(fromRgb.statusCode()).isEqualTo(200);
                assertThat(fromRgb.headers().firstValue("X-Model-Name")).hasValue(RGB_NAME);
                assertThat(fromRgb.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"" + RGB_NAME + "-v1-seed5.npy\"");
                assertThat(npyHeader(fromRgb.body())).contains("'shape': (2, 3, 32, 32)");
                HttpResponse<byte[]> squares = get(http, service.port(), "/v1/generate?count=2&seed=5&format=npy&label=square&model="
                        + CONDITIONAL_NAME);
                assertThat(squares.statusCode()).isEqualTo(200);
                assertThat(squares.headers().firstValue("X-Label")).hasValue("1");
                assertThat(npyHeader(squares.body())).contains("'shape': (2, 1, 12, 12)");
                assertThat(get(http, service.port(), "/v1/generate?count=1&model=no-such-model").statusCode()).isEqualTo(404);

                JsonNode models = Json.mapper().readTree(get(http, service.port(), "/v1/models").body());
                assertThat(models.get("default").isNull()).isTrue();
                // Sorted by name: cifar-dcgan32 before conditional-test.
                assertThat(models.get("served")).extracting(row -> row.get("name").asText()).containsExactly(RGB_NAME, CONDITIONAL_NAME);
                assertThat(models.get("served").get(1).get("classes")).extracting(JsonNode::asText)
                        .containsExactlyElementsOf(ConditionalTestModel.CLASSES);
                assertThat(models.get("served").get(0).get("imageShape").asText()).isEqualTo("32x32x3");
                assertThat(models.get("served").get(0).has("classes")).as("an unconditional model has no classes").isFalse();
                assertThat(models.get("models")).extracting(row -> row.get("name").asText()).containsExactly(RGB_NAME, CONDITIONAL_NAME);

                try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka.producer("test-requests"), new StringSerializer(),
                        new StringSerializer())) {
                    producer.send(new ProducerRecord<>(topics.syntheticRequests(), "rgb-1", "{\"count\":2,\"seed\":5,\"model\":\"" + RGB_NAME + "\"}"))
                            .get(30, TimeUnit.SECONDS);
                    producer.send(new ProducerRecord<>(topics.syntheticRequests(), "unnamed-1", "{\"count\":1}")).get(30, TimeUnit.SECONDS);
                }
                List<ConsumerRecord<String, byte[]>> answer = pollAtLeast(kafka, topics.syntheticImages(), 2);
                assertThat(answer).hasSize(2).allSatisfy(r -> {
                    assertThat(r.key()).isEqualTo("rgb-1");
                    assertThat(text(r, GanHeaders.MODEL_NAME)).isEqualTo(RGB_NAME);
                    assertThat(text(r, GanHeaders.IMAGE_SHAPE)).isEqualTo("32x32x3");
                });
                List<ConsumerRecord<String, byte[]>> letters = pollAtLeast(kafka, topics.imagesDlq(), 1);
                assertThat(letters.getFirst().key()).isEqualTo("unnamed-1");
                assertThat(text(letters.getFirst(), GanHeaders.ERROR_REASON)).isEqualTo("unknown_model");

                // A new version of one model swaps that model alone: the other keeps its version and its exact images.
                publish(kafka, rgbNext.manifest(2), rgbNext.onnx());
                await().atMost(WAIT).until(() -> service.registry().registries().get(RGB_NAME).liveVersion().orElse(0) == 2);
                assertThat(service.registry().registries().get(CONDITIONAL_NAME).liveVersion()).hasValue(1);
                HttpResponse<byte[]> squaresAfter = get(http, service.port(), "/v1/generate?count=2&seed=5&format=npy&label=square&model="
                        + CONDITIONAL_NAME);
                assertThat(squaresAfter.headers().firstValue("X-Model-Version")).hasValue("1");
                assertThat(squaresAfter.body()).isEqualTo(squares.body());
                HttpResponse<byte[]> rgbAfter = get(http, service.port(), "/v1/generate?count=2&seed=5&format=npy&model=" + RGB_NAME);
                assertThat(rgbAfter.headers().firstValue("X-Model-Version")).hasValue("2");
                assertThat(rgbAfter.body()).isNotEqualTo(fromRgb.body());
                HttpResponse<byte[]> rgbFirstVersion = get(http, service.port(), "/v1/generate?count=2&seed=5&format=npy&version=1&model=" + RGB_NAME);
                assertThat(rgbFirstVersion.body()).as("version=1 still serves the kept older version").isEqualTo(fromRgb.body());

                assertThat(body(get(http, service.port(), "/metrics")))
                        .contains("gan_generator_model_version{model=\"" + RGB_NAME + "\",service=\"generator\"} 2.0")
                        .contains("gan_generator_model_version{model=\"" + CONDITIONAL_NAME + "\",service=\"generator\"} 1.0");
            }
        }
    }

    private void publish(KafkaSettings kafka, ModelManifest manifest, byte[] onnx) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producer("test-model-publisher"), new StringSerializer(),
                new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topics.modelsGenerator(), manifest.name(), onnx);
            ModelHeaders.write(manifest, record.headers());
            producer.send(record).get(30, TimeUnit.SECONDS);
        }
    }

    private static List<ConsumerRecord<String, byte[]>> pollAtLeast(KafkaSettings kafka, String topic, int count) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.groupless("test-" + topic), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            consumer.seekToBeginning(consumer.assignment());
            await().atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= count;
            });
        }
        return records;
    }

    private static String npyHeader(byte[] npy) {
        return new String(npy, 0, Math.min(npy.length, 128), StandardCharsets.ISO_8859_1);
    }

    private static String text(ConsumerRecord<?, ?> record, String header) {
        return GanHeaders.text(record.headers(), header).orElseThrow(() -> new AssertionError("missing header " + header));
    }

    private static String body(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static HttpResponse<byte[]> get(HttpClient http, int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
