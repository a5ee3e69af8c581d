package dev.ganpipe.client.it;

import static org.awaitility.Awaitility.await;

import dev.ganpipe.broker.EmbeddedKafka;
import dev.ganpipe.common.config.ConfigValues;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.kafka.TopicSetup;
import dev.ganpipe.common.metrics.MeterRegistries;
import dev.ganpipe.common.model.ModelDirectory;
import dev.ganpipe.generator.ConditionalTestModel;
import dev.ganpipe.generator.GeneratorConfig;
import dev.ganpipe.generator.GeneratorService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * A real broker and a real generator service on random ports, as {@code gan broker} and {@code gan generator} run them,
 * serving {@link ConditionalTestModel} (12x12 gray; classes circle, square, cross) with its stand-in classifier, so images carry a
 * confidence, as version 1, with the request
 * stream on and continuous mode off, so {@code synthetic.images} holds only answers to requests.
 */
final class Pipeline implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(90);

    private final EmbeddedKafka broker;
    private final GeneratorService generator;

    private Pipeline(EmbeddedKafka broker, GeneratorService generator) {
        this.broker = broker;
        this.generator = generator;
    }

    static Pipeline start(Path data) throws Exception {
        EmbeddedKafka broker = EmbeddedKafka.start(data.resolve("kafka"), 0);
        GeneratorService generator;
        try {
            try (Admin admin = Admin.create(KafkaSettings.of(broker.bootstrapServers()).admin("test-admin"))) {
                TopicSetup.ensure(admin, TopicCatalog.defaults(), 1, (short) 1);
            }
            Path models = data.resolve("models");
            byte[] onnx = ConditionalTestModel.onnxWithClassifier();
            new ModelDirectory(models).write(ConditionalTestModel.manifest(onnx, 1), onnx);
            GeneratorConfig config = GeneratorConfig.from(ConfigValues.parse(GeneratorConfig.spec(), List.of("--host", "127.0.0.1", "--port", "0",
                    "--allow-unsigned-models", "--bootstrap-servers", broker.bootstrapServers(), "--models-from-topic", "false",
                    "--models-dir", models.toString(), "--ort-provider", "cpu"), Map.of()));
            generator = GeneratorService.start(config, MeterRegistries.prometheus("generator"));
        } catch (Exception | Error e) {
            broker.close();
            throw e;
        }
        Pipeline pipeline = new Pipeline(broker, generator);
        try {
            await().atMost(WAIT).until(generator::ready);
            return pipeline;
        } catch (RuntimeException | Error e) {
            pipeline.close();
            throw e;
        }
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    String generatorUrl() {
        return "http://127.0.0.1:" + generator.port();
    }

    @Override
    public void close() {
        try {
            generator.close();
        } finally {
            broker.close();
        }
    }
}
