package dev.ganpipe.generator.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ganpipe.broker.EmbeddedKafka;
import dev.ganpipe.common.config.ConfigValues;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.kafka.TopicSetup;
import dev.ganpipe.common.metrics.MeterRegistries;
import dev.ganpipe.common.metrics.MetricNames;
import dev.ganpipe.common.model.ModelHeaders;
import dev.ganpipe.common.model.ModelManifest;
import dev.ganpipe.generator.GeneratorConfig;
import dev.ganpipe.generator.GeneratorService;
import dev.ganpipe.generator.TestModels;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopicModelWatcherTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private final TopicCatalog topics = TopicCatalog.defaults();

    @Test
    void modelsOnTheTopicAreLoadedFromTheStartSwappedInAndBadRecordsRejectedThroughABrokerRestart(@TempDir Path data) throws Exception {
        EmbeddedKafka broker = EmbeddedKafka.start(data, 0);
        int port = broker.port();
        try {
            KafkaSettings kafka = KafkaSettings.of(broker.bootstrapServers());
            try (Admin admin = Admin.create(kafka.admin("test-admin"))) {
                TopicSetup.ensure(admin, topics, 1, (short) 1);
            }
            // Published before the service starts: it must read the compacted topic from the beginning.
            publish(kafka, TestModels.first().manifest(1), TestModels.first().onnx());

            PrometheusMeterRegistry meters = MeterRegistries.prometheus("generator");
            try (GeneratorService service = GeneratorService.start(topicConfig(broker.bootstrapServers()), meters)) {
                await().atMost(WAIT).until(() -> service.registry().liveVersion().orElse(0) == 1);

                byte[] corrupt = new byte[TestModels.second().onnx().length];
                new Random(3).nextBytes(corrupt);
                publish(kafka, TestModels.second().manifest(2), corrupt);
                try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
                    // No manifest headers at all: not something the trainer published.
                    producer.send(new ProducerRecord<>(topics.modelsGenerator(), TestModels.NAME, TestModels.second().onnx())).get(30, TimeUnit.SECONDS);
                }
                await().atMost(WAIT).until(() -> rejected(meters) == 2);
                assertThat(service.registry().liveVersion()).hasValue(1);

                publish(kafka, TestModels.second().manifest(3), TestModels.second().onnx());
                await().atMost(WAIT).until(() -> service.registry().liveVersion().orElse(0) == 3);

                // A broker outage: the watcher keeps polling and picks up where it was once the broker is back.
                broker.close();
                broker = EmbeddedKafka.start(data, port);
                publish(kafka, TestModels.first().manifest(4), TestModels.first().onnx());
                await().atMost(WAIT).until(() -> service.registry().liveVersion().orElse(0) == 4);
                await("ready after the outage").atMost(WAIT).until(service::ready);
                assertThat(meters.get(MetricNames.GENERATOR_MODEL_SWAPS).tag("outcome", "applied").counter().count()).isEqualTo(3);
            }
            assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName).doesNotContain("generator-models-topic");
        } finally {
            broker.close();
        }
    }

    private GeneratorConfig topicConfig(String bootstrap) {
        return GeneratorConfig.from(ConfigValues.parse(GeneratorConfig.spec(), List.of("--host", "127.0.0.1", "--port", "0", "--allow-unsigned-models",
                "--bootstrap-servers", bootstrap, "--ort-provider", "cpu", "--requests-stream", "false"), Map.of()));
    }

    private static double rejected(PrometheusMeterRegistry meters) {
        return meters.get(MetricNames.GENERATOR_MODEL_SWAPS).tag("outcome", "rejected").counter().count();
    }

    private void publish(KafkaSettings kafka, ModelManifest manifest, byte[] onnx) throws Exception {
        try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topics.modelsGenerator(), manifest.name(), onnx);
            ModelHeaders.write(manifest, record.headers());
            producer.send(record).get(30, TimeUnit.SECONDS);
        }
    }

    private static KafkaProducer<String, byte[]> producer(KafkaSettings kafka) {
        return new KafkaProducer<>(kafka.producer("test-model-publisher"), new StringSerializer(), new ByteArraySerializer());
    }
}
