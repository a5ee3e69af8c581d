package dev.ganpipe.reliability.faults;

import static org.awaitility.Awaitility.await;

import dev.ganpipe.common.config.ConfigValues;
import dev.ganpipe.common.image.Hashes;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.kafka.TopicSetup;
import dev.ganpipe.common.model.ModelHeaders;
import dev.ganpipe.common.model.ModelManifest;
import dev.ganpipe.common.model.ModelMetadata;
import dev.ganpipe.generator.GeneratorConfig;
import dev.ganpipe.images.normalize.ImageNormalizer;
import dev.ganpipe.images.normalize.Outcome;
import dev.ganpipe.images.source.IdxImageSource;
import dev.ganpipe.images.source.SourceImage;
import dev.ganpipe.ingest.IngestConfig;
import dev.ganpipe.ingest.publish.IngestCommand;
import dev.ganpipe.ingest.publish.IngestSummary;
import dev.ganpipe.trainer.gan.GanConfig;
import dev.ganpipe.trainer.gan.GanTrainingCore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What the fault tests share: topics of their own and the services' configuration on them, reading a topic whole,
 * HTTP calls, real models and IDX files.
 */
final class Faults {

    static final String MODEL_NAME = "fashion-dcgan28";

    private Faults() {
    }

    /** The pipeline's topics under a prefix, created with {@code partitions} partitions and writable. */
    static TopicCatalog createTopics(String bootstrapServers, String prefix, int partitions) {
        return createTopics(bootstrapServers, prefix, partitions, (short) 1);
    }

    /**
     * The pipeline's topics under a prefix, created with {@code partitions} partitions of {@code replication} replicas
     * and writable on every broker that holds one.
     */
    static TopicCatalog createTopics(String bootstrapServers, String prefix, int partitions, short replication) {
        TopicCatalog d = TopicCatalog.defaults();
        TopicCatalog topics = new TopicCatalog(prefix + "." + d.imagesRaw(), prefix + "." + d.imagesTrain(), prefix + "." + d.imagesDlq(),
                prefix + "." + d.modelsGenerator(), prefix + "." + d.syntheticRequests(), prefix + "." + d.syntheticImages());
        try (Admin admin = Admin.create(KafkaSettings.of(bootstrapServers).admin("faults-admin"))) {
            TopicSetup.ensure(admin, topics, partitions, replication);
            // Created is not yet writable (see IngestServiceIntegrationTest): wait until the broker holds every log.
            Set<String> names = Set.of(topics.imagesRaw(), topics.imagesTrain(), topics.imagesDlq(), topics.syntheticRequests(),
                    topics.syntheticImages());
            List<Integer> brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).stream().map(n -> n.id()).toList();
            await().atMost(Duration.ofSeconds(60)).until(() -> admin.describeLogDirs(brokers).allDescriptions().get().values().stream()
                    .flatMap(dirs -> dirs.values().stream())
                    .flatMap(dir -> dir.replicaInfos().keySet().stream())
                    .filter(tp -> names.contains(tp.topic()))
                    .count() == (long) names.size() * partitions * replication);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating the test topics.", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("The cluster did not list its brokers: " + e.getMessage(), e);
        }
        return topics;
    }

    /** The flags that point a service at these topics. */
    static List<String> topicFlags(TopicCatalog topics) {
        return List.of("--topic-images-raw", topics.imagesRaw(), "--topic-images-train", topics.imagesTrain(),
                "--topic-images-dlq", topics.imagesDlq(), "--topic-models", topics.modelsGenerator(),
                "--topic-synthetic-requests", topics.syntheticRequests(), "--topic-synthetic-images", topics.syntheticImages());
    }

    /**
     * Ingest on these topics (already created, see {@link #createTopics}), with HTTP on a free local port and its own
     * application id and state directory; {@code more} flags come last.
     */
    static IngestConfig ingestConfig(String bootstrapServers, TopicCatalog topics, Path stateDir, String applicationId, String... more) {
        return IngestConfig.parse(flags(List.of("--bootstrap-servers", bootstrapServers, "--port", "0", "--http-host", "127.0.0.1",
                "--state-dir", stateDir.toString(), "--application-id", applicationId, "--create-topics", "false"), topics, more), Map.of());
    }

    /**
     * The generator service on these topics, with HTTP on a free local port, ONNX Runtime on the CPU and its own
     * request-stream application id; {@code more} flags come last.
     */
    static GeneratorConfig generatorConfig(String bootstrapServers, TopicCatalog topics, String requestsAppId, String... more) {
        return GeneratorConfig.from(ConfigValues.parse(GeneratorConfig.spec(), flags(List.of("--bootstrap-servers", bootstrapServers,
                "--host", "127.0.0.1", "--port", "0", "--ort-provider", "cpu", "--requests-app-id", requestsAppId,
                "--allow-unsigned-models"), topics, more), Map.of()));
    }

    private static List<String> flags(List<String> service, TopicCatalog topics, String... more) {
        List<String> all = new ArrayList<>(service);
        all.addAll(topicFlags(topics));
        all.addAll(List.of(more));
        return all;
    }

    /** A consumer outside any group, read_committed, on every partition of {@code topic} from the beginning. */
    static KafkaConsumer<byte[], byte[]> reader(String bootstrapServers, String topic) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaSettings.of(bootstrapServers).groupless("faults-" + topic),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    /** Polls once into {@code into}; for Awaitility conditions. */
    static int pollInto(KafkaConsumer<byte[], byte[]> consumer, List<ConsumerRecord<byte[], byte[]>> into, Duration poll) {
        consumer.poll(poll).forEach(into::add);
        return into.size();
    }

    static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** A byte-array producer, idempotent like the services'. */
    static KafkaProducer<byte[], byte[]> producer(String bootstrapServers) {
        Properties config = KafkaSettings.of(bootstrapServers).producer("faults-producer");
        // Uncompressed: the faults send random bytes just under a topic's limit, and LZ4's framing of incompressible
        // bytes (4 bytes per 64 KiB block, 644 for a 10 MiB record) would push them over it.
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends and waits for the acknowledgement. */
    static void send(KafkaProducer<byte[], byte[]> producer, ProducerRecord<byte[], byte[]> record) {
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Sending a test record to " + record.topic() + " failed: " + e.getMessage(), e);
        }
    }

    /** GET on 127.0.0.1. */
    static HttpResponse<String> get(HttpClient http, int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }


    /** The ids (sha-256 of the canonical pixels) the input normalises to, computed here without Kafka. */
    static Set<String> expectedIds(IngestConfig config, Path idx) throws Exception {
        ImageNormalizer normalizer = new ImageNormalizer(config.normalizer());
        Set<String> ids = new HashSet<>();
        try (IdxImageSource source = IdxImageSource.open(idx.resolve("train-images-idx3-ubyte"))) {
            Optional<SourceImage> next;
            while ((next = source.next()).isPresent()) {
                ids.add(((Outcome.Accepted) normalizer.normalize(next.get().encodedBytes(), next.get().label())).id());
            }
        }
        return ids;
    }

    /** Runs {@code gan ingest} on the IDX folder; its progress output goes into the exception when it fails. */
    static IngestSummary publish(IngestConfig config, Path idx) {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        try {
            return IngestCommand.run(config, List.of(idx.toString()), new PrintStream(progress, true, StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException("Publishing the IDX file failed: " + e.getMessage() + "\n" + progress.toString(StandardCharsets.UTF_8), e);
        }
    }

    /** A real generator: a 28x28 DCGAN trained for two steps from {@code seed} and exported by the trainer's own code. */
    record Model(byte[] onnx, ModelManifest manifest) {

        static Model train(long seed, long version) {
            GanConfig config = GanConfig.dcgan28().withSeed(seed);
            try (GanTrainingCore core = new GanTrainingCore(config)) {
                Random random = new Random(seed);
                float[] real = new float[8 * config.imageElements()];
                for (int step = 0; step < 2; step++) {
                    for (int i = 0; i < real.length; i++) {
                        real[i] = random.nextFloat() * 2f - 1f;
                    }
                    core.trainStep(real, null, 8);
                }
                byte[] onnx = core.exportGeneratorOnnx(Map.of(ModelMetadata.STEP, Long.toString(core.step()), "dataset", "reliability-test"));
                return new Model(onnx, new ModelManifest(MODEL_NAME, version, Hashes.sha256(onnx), core.step(),
                        Instant.parse("2025-01-01T00:00:00Z").plusSeconds(version), "28x28x1", config.noiseDim(), Map.of()));
            }
        }

        /** The same bytes published as another version. */
        Model asVersion(long version) {
            return new Model(onnx, new ModelManifest(MODEL_NAME, version, manifest.sha256(), manifest.step(),
                    manifest.createdAt().plusSeconds(version), manifest.imageShape(), manifest.noiseDim(), Map.of()));
        }

        /** The record the trainer would publish. */
        ProducerRecord<byte[], byte[]> record(String topic) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, MODEL_NAME.getBytes(StandardCharsets.UTF_8), onnx);
            ModelHeaders.write(manifest, record.headers());
            return record;
        }
    }
}
