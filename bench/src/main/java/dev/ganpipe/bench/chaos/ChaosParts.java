package dev.ganpipe.bench.chaos;

import dev.ganpipe.broker.cluster.LocalCluster;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.kafka.TopicSetup;
import dev.ganpipe.ingest.IngestConfig;
import dev.ganpipe.ingest.IngestService;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** What the scenarios share: their topics on the cluster, ingest on them, and reading {@code images.train} by id. */
final class ChaosParts {

    static final int PARTITIONS = 3;

    private ChaosParts() {
    }

    /** The pipeline's topics under {@code prefix}, three replicas each, once every replica is in sync. */
    static TopicCatalog createTopics(LocalCluster cluster, String prefix) {
        TopicCatalog d = TopicCatalog.defaults();
        TopicCatalog topics = new TopicCatalog(prefix + "." + d.imagesRaw(), prefix + "." + d.imagesTrain(), prefix + "." + d.imagesDlq(),
                prefix + "." + d.modelsGenerator(), prefix + "." + d.syntheticRequests(), prefix + "." + d.syntheticImages());
        try (Admin admin = Admin.create(KafkaSettings.of(cluster.bootstrapServers()).admin("chaos-admin"))) {
            TopicSetup.ensure(admin, topics, PARTITIONS, cluster.quorum().replication());
        }
        awaitTrue(() -> cluster.fullyReplicated(List.of(topics.imagesRaw(), topics.imagesTrain(), topics.imagesDlq())),
                Duration.ofSeconds(120), "the new topics to have all three replicas in sync");
        return topics;
    }

    /** Ingest on these topics, HTTP on a free local port; {@code more} flags come last. */
    static IngestConfig ingestConfig(LocalCluster cluster, TopicCatalog topics, Path stateDir, String applicationId, String... more) {
        List<String> args = new ArrayList<>(List.of("--bootstrap-servers", cluster.bootstrapServers(), "--port", "0", "--http-host",
                "127.0.0.1", "--state-dir", stateDir.toString(), "--application-id", applicationId, "--create-topics", "false",
                "--progress", "off",
                "--topic-images-raw", topics.imagesRaw(), "--topic-images-train", topics.imagesTrain(),
                "--topic-images-dlq", topics.imagesDlq(), "--topic-models", topics.modelsGenerator(),
                "--topic-synthetic-requests", topics.syntheticRequests(), "--topic-synthetic-images", topics.syntheticImages()));
        args.addAll(List.of(more));
        return IngestConfig.parse(args, Map.of());
    }

    /** Waits until the normaliser runs. */
    static void awaitReady(IngestService ingest) {
        awaitTrue(ingest::ready, Duration.ofSeconds(120), "ingest to be ready");
    }

    /** A read_committed consumer outside any group on every partition of {@code images.train}, from the beginning. */
    static KafkaConsumer<byte[], byte[]> trainReader(LocalCluster cluster, TopicCatalog topics) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaSettings.of(cluster.bootstrapServers()).groupless("chaos-reader"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(new TopicPartition(topics.imagesTrain(), p));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    /** Polls once, adding the image ids (record keys) to {@code ids}. */
    static void poll(KafkaConsumer<byte[], byte[]> reader, List<String> ids) {
        reader.poll(Duration.ofMillis(200)).forEach(r -> ids.add(new String(r.key(), StandardCharsets.UTF_8)));
    }

    /** Waits until {@code condition} holds, or fails saying what it waited for. */
    static void awaitTrue(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Gave up after " + timeout.toSeconds() + " s waiting for " + what + ".");
            }
            sleep(Duration.ofMillis(200));
        }
    }

    static void sleep(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during a chaos scenario.", e);
        }
    }
}
