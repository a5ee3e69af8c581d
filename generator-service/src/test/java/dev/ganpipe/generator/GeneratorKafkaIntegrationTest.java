package dev.ganpipe.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ganpipe.broker.EmbeddedKafka;
import dev.ganpipe.common.config.ConfigValues;
import dev.ganpipe.common.kafka.CloudEvents;
import dev.ganpipe.common.kafka.GanHeaders;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.kafka.TopicSetup;
import dev.ganpipe.common.metrics.MeterRegistries;
import dev.ganpipe.common.model.ModelDirectory;
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
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The request stream and continuous mode against a real broker, in the service as {@code gan generator} runs it. */
class GeneratorKafkaIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private final TopicCatalog topics = TopicCatalog.defaults();

    @Test
    void requestsAreAnsweredOnSyntheticImagesBadOnesDeadLetteredAndContinuousModeStreamsAlongside(@TempDir Path data) throws Exception {
        try (EmbeddedKafka broker = EmbeddedKafka.start(data.resolve("kafka"), 0)) {
            KafkaSettings kafka = KafkaSettings.of(broker.bootstrapServers());
            try (Admin admin = Admin.create(kafka.admin("test-admin"))) {
                TopicSetup.ensure(admin, topics, 1, (short) 1);
            }
            Path models = data.resolve("models");
            new ModelDirectory(models).write(TestModels.first().manifest(1), TestModels.first().onnx());
            GeneratorConfig config = GeneratorConfig.from(ConfigValues.parse(GeneratorConfig.spec(), List.of("--host", "127.0.0.1",
                    "--port", "0", "--allow-unsigned-models", "--bootstrap-servers", broker.bootstrapServers(), "--models-from-topic", "false",
                    "--models-dir", models.toString(), "--ort-provider", "cpu", "--continuous-rate", "20", "--continuous-seed", "1000"),
                    Map.of()));
            PrometheusMeterRegistry meters = MeterRegistries.prometheus("generator");
            try (GeneratorService service = GeneratorService.start(config, meters);
                 HttpClient http = HttpClient.newHttpClient()) {
                await().atMost(WAIT).until(service::ready);
                assertThat(get(http, service.port(), "/readyz").statusCode()).isEqualTo(200);

                try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka.producer("test-requests"), new StringSerializer(),
                        new StringSerializer())) {
                    producer.send(new ProducerRecord<>(topics.syntheticRequests(), "req-1", "{\"count\":3,\"seed\":9}")).get(30, TimeUnit.SECONDS);
                    producer.send(new ProducerRecord<>(topics.syntheticRequests(), "req-2", "{\"count\":0}")).get(30, TimeUnit.SECONDS);
                    // A check that read the first count and a generator that used the last would make 1,024 images.
                    producer.send(new ProducerRecord<>(topics.syntheticRequests(), "req-3", "{\"count\":2,\"count\":1024}"))
                            .get(30, TimeUnit.SECONDS);
                }

                List<ConsumerRecord<String, byte[]>> answer = new ArrayList<>();
                List<ConsumerRecord<String, byte[]>> streamed = new ArrayList<>();
                try (KafkaConsumer<String, byte[]> images = consumer(kafka, topics.syntheticImages())) {
                    await().atMost(WAIT).until(() -> {
                        for (ConsumerRecord<String, byte[]> r : images.poll(Duration.ofMillis(200))) {
                            (r.key().startsWith("stream-") ? streamed : answer).add(r);
                        }
                        return answer.size() >= 3 && streamed.size() >= 5;
                    });
                }
                List<byte[]> overHttp = ZipEntries.of(http.send(HttpRequest.newBuilder(uri(service.port(), "/v1/generate?format=zip&count=3&seed=9"))
                        .build(), HttpResponse.BodyHandlers.ofByteArray()).body());
                assertThat(answer).hasSize(3);
                for (int i = 0; i < 3; i++) {
                    ConsumerRecord<String, byte[]> r = answer.get(i);
                    assertThat(r.key()).isEqualTo("req-1");
                    assertThat(text(r, GanHeaders.INDEX)).isEqualTo(Integer.toString(i));
                    assertThat(text(r, GanHeaders.SEED)).isEqualTo("9");
                    assertThat(text(r, GanHeaders.MODEL_VERSION)).isEqualTo("1");
                    assertThat(text(r, CloudEvents.TYPE)).isEqualTo("gan.image.synthetic.v1");
                    assertThat(r.value()).as("image %d is byte for byte the HTTP API's image %d of seed 9", i, i).isEqualTo(overHttp.get(i));
                }
                assertThat(streamed.subList(0, 5)).extracting(ConsumerRecord::key)
                        .containsExactly("stream-0", "stream-1", "stream-2", "stream-3", "stream-4");
                assertThat(text(streamed.get(2), GanHeaders.SEED)).isEqualTo("1002");

                try (KafkaConsumer<String, byte[]> dlq = consumer(kafka, topics.imagesDlq())) {
                    List<ConsumerRecord<String, byte[]>> letters = new ArrayList<>();
                    await().atMost(WAIT).until(() -> {
                        dlq.poll(Duration.ofMillis(200)).forEach(letters::add);
                        return letters.size() >= 2;
                    });
                    assertThat(letters).hasSize(2);
                    assertThat(letters.getFirst().key()).isEqualTo("req-2");
                    assertThat(new String(letters.getFirst().value(), StandardCharsets.UTF_8)).isEqualTo("{\"count\":0}");
                    assertThat(text(letters.getFirst(), GanHeaders.ERROR_REASON)).isEqualTo("bad_count");
                    assertThat(letters.get(1).key()).isEqualTo("req-3");
                    assertThat(text(letters.get(1), GanHeaders.ERROR_REASON)).isEqualTo("malformed_request");
                    assertThat(text(letters.get(1), GanHeaders.ERROR_DETAIL)).contains("Duplicate field 'count'");
                }
                String metrics = get(http, service.port(), "/metrics").body();
                assertThat(metrics)
                        .contains("gan_generator_stream_requests_total{outcome=\"accepted\",reason=\"none\",service=\"generator\"} 1.0")
                        .contains("gan_generator_stream_requests_total{outcome=\"rejected\",reason=\"bad_count\",service=\"generator\"} 1.0")
                        .contains("gan_generator_stream_requests_total{outcome=\"rejected\",reason=\"malformed_request\",service=\"generator\"} 1.0")
                        .contains("gan_generator_continuous_target_rate{service=\"generator\"} 20.0")
                        .containsPattern("gan_generator_continuous_images_total\\{service=\"generator\"} [1-9]");
            }
            // Kafka Streams' own close thread may take a moment to end after close() returned.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
                    .extracting(Thread::getName)
                    .noneMatch(name -> name.startsWith("generator-continuous") || name.contains("gan-generator-requests")));
        }
    }

    private static KafkaConsumer<String, byte[]> consumer(KafkaSettings kafka, String topic) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.groupless("test-" + topic), new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer.assign(List.of(new TopicPartition(topic, 0)));
        consumer.seekToBeginning(consumer.assignment());
        return consumer;
    }

    private static String text(ConsumerRecord<?, ?> record, String header) {
        return GanHeaders.text(record.headers(), header).orElseThrow(() -> new AssertionError("missing header " + header));
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(port, path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
