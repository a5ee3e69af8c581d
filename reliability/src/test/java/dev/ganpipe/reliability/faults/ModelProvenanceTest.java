package dev.ganpipe.reliability.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ganpipe.broker.EmbeddedKafka;
import dev.ganpipe.common.config.ConfigValues;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.kafka.TopicSetup;
import dev.ganpipe.common.metrics.MeterRegistries;
import dev.ganpipe.common.metrics.MetricNames;
import dev.ganpipe.common.model.ModelDirectory;
import dev.ganpipe.common.model.ModelHeaders;
import dev.ganpipe.common.model.ModelKeys;
import dev.ganpipe.common.model.ModelManifest;
import dev.ganpipe.generator.GeneratorConfig;
import dev.ganpipe.generator.GeneratorService;
import dev.ganpipe.generator.model.ModelInfo;
import dev.ganpipe.trainer.publish.ModelPublisher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay attack of issue 22 (item 2) on a real broker, with the trainer's own publisher and exporter: someone who can write to {@code models.generator} re-publishes
 * v1's own bytes with a matching sha256 and {@code gan.model.version=1000000}. Before signatures it went live and stayed
 * live, since every later version of the trainer was older; now the generator verifies the trainer's signature.
 */
class ModelProvenanceTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private final TopicCatalog topics = TopicCatalog.defaults();

    @Test
    void aReplayedModelWithAMadeUpVersionIsRefusedAndTheTrainersNextVersionGoesLive(@TempDir Path dir) throws Exception {
        Path signingKey = ModelKeys.ensurePair(dir.resolve("keys"));
        Faults.Model first = Faults.Model.train(1, 1);
        try (EmbeddedKafka broker = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
            KafkaSettings kafka = KafkaSettings.of(broker.bootstrapServers());
            try (Admin admin = Admin.create(kafka.admin("test-admin"))) {
                TopicSetup.ensure(admin, topics, 1, (short) 1);
            }
            PrometheusMeterRegistry meters = MeterRegistries.prometheus("generator");
            ModelDirectory trainerModels = new ModelDirectory(dir.resolve("trainer-models"));
            try (ModelPublisher trainer = ModelPublisher.toKafka(Faults.MODEL_NAME, trainerModels, 5, kafka, topics.models(), 0,
                    Optional.of(ModelKeys.privateKey(signingKey, Optional.empty())), Clock.systemUTC(), MeterRegistries.prometheus("trainer"));
                 GeneratorService service = GeneratorService.start(config(broker.bootstrapServers(),
                         signingKey.resolveSibling(ModelKeys.PUBLIC_FILE)), meters)) {
                ModelManifest v1 = publish(trainer, first);
                await().atMost(WAIT).until(() -> service.registry().liveVersion().orElse(0) == 1);

                // The attacker copies v1's record, bytes, sha256 and signature included, and makes up a version.
                String v1Signature = trainerModels.readSignature(v1).orElseThrow();
                ModelManifest replayed = new ModelManifest(v1.name(), 1_000_000, v1.sha256(), v1.step(), v1.createdAt(), v1.imageShape(),
                        v1.noiseDim(), v1.metrics());
                ModelManifest unsigned = new ModelManifest(v1.name(), 1_000_001, v1.sha256(), v1.step(), v1.createdAt(), v1.imageShape(),
                        v1.noiseDim(), v1.metrics());
                try (KafkaProducer<String, byte[]> attacker = new KafkaProducer<>(kafka.producer("attacker"), new StringSerializer(),
                        new ByteArraySerializer())) {
                    attacker.send(record(replayed, Optional.of(v1Signature), first.onnx())).get(30, TimeUnit.SECONDS);
                    attacker.send(record(unsigned, Optional.empty(), first.onnx())).get(30, TimeUnit.SECONDS);
                }
                await().atMost(WAIT).until(() -> untrusted(meters, "bad_signature") == 1 && untrusted(meters, "unsigned") == 1);
                assertThat(service.registry().liveVersion()).as("the replay does not take over serving").hasValue(1);
                assertThat(reason(service, 1_000_000)).contains("signature does not verify with the trainer's public key");
                assertThat(reason(service, 1_000_001)).contains("unsigned", "--allow-unsigned-models");

                publish(trainer, Faults.Model.train(2, 2));
                await("the trainer's genuine v2 goes live").atMost(WAIT).until(() -> service.registry().liveVersion().orElse(0) == 2);
                assertThat(meters.get(MetricNames.GENERATOR_MODEL_SWAPS).tag("outcome", "rejected").counter().count()).isEqualTo(2);
            }
        }
    }

    private static ModelManifest publish(ModelPublisher trainer, Faults.Model model) {
        ModelManifest made = model.manifest();
        return trainer.publish(model.onnx(), made.step(), made.imageShape(), made.noiseDim(), Map.of());
    }

    private ProducerRecord<String, byte[]> record(ModelManifest manifest, Optional<String> signature, byte[] onnx) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topics.modelsGenerator(), manifest.name(), onnx);
        ModelHeaders.write(manifest, record.headers());
        signature.ifPresent(s -> ModelHeaders.writeSignature(s, record.headers()));
        return record;
    }

    private static double untrusted(PrometheusMeterRegistry meters, String reason) {
        Counter counter = meters.find(MetricNames.GENERATOR_MODEL_UNTRUSTED).tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private static String reason(GeneratorService service, long version) {
        return service.registry().models().stream().filter(m -> m.version() == version).map(ModelInfo::reason).findFirst().orElseThrow();
    }

    private static GeneratorConfig config(String bootstrap, Path verifyKey) {
        return GeneratorConfig.from(ConfigValues.parse(GeneratorConfig.spec(), List.of("--host", "127.0.0.1", "--port", "0",
                "--bootstrap-servers", bootstrap, "--ort-provider", "cpu", "--requests-stream", "false",
                "--model-verify-key", verifyKey.toString()), Map.of()));
    }
}
