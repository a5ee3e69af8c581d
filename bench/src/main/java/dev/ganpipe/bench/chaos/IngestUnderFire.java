package dev.ganpipe.bench.chaos;

import dev.ganpipe.images.source.IdxWriter;
import dev.ganpipe.broker.cluster.LocalCluster;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.metrics.MeterRegistries;
import dev.ganpipe.images.normalize.ImageNormalizer;
import dev.ganpipe.images.normalize.Outcome;
import dev.ganpipe.images.source.IdxImageSource;
import dev.ganpipe.images.source.SourceImage;
import dev.ganpipe.ingest.IngestConfig;
import dev.ganpipe.ingest.IngestService;
import dev.ganpipe.ingest.publish.IngestCommand;
import dev.ganpipe.ingest.publish.IngestSummary;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Scenarios 1 and 2: {@code gan ingest} publishes distinct images through the exactly-once normaliser while a fault
 * strikes twice (at a tenth of the images and again at half), each time followed by a restart of what it killed.
 */
final class IngestUnderFire {

    /** Kills one or more nodes and returns their ids, and says which. */
    interface Fault {
        List<Integer> strike(LocalCluster cluster, TopicCatalog topics, int round, List<String> observed);
    }

    /** Scenario 1: SIGKILL the leader of an images.raw partition, then (second round) of an images.train partition. */
    static final Fault LEADER_KILL = (cluster, topics, round, observed) -> {
        String topic = round == 1 ? topics.imagesRaw() : topics.imagesTrain();
        int leader = cluster.leaderOf(topic, 0);
        cluster.kill(leader);
        long killed = System.nanoTime();
        ChaosParts.awaitTrue(() -> {
            int now = cluster.leaderOf(topic, 0);
            return now != leader && now != -1;
        }, Duration.ofSeconds(120), "a new leader of " + topic + "-0");
        observed.add(String.format("killed node %d (leader of %s-0): node %d led it %.1f s later", leader, topic,
                cluster.leaderOf(topic, 0), (System.nanoTime() - killed) / 1e9));
        return List.of(leader);
    };

    /** Scenario 2: SIGKILL the active controller (in combined mode a broker too), twice. */
    static final Fault CONTROLLER_KILL = (cluster, topics, round, observed) -> {
        int controller = cluster.activeController();
        cluster.kill(controller);
        long killed = System.nanoTime();
        ChaosParts.awaitTrue(() -> {
            try {
                int now = cluster.activeController();
                return now != controller && now >= 0;
            } catch (IllegalStateException electing) {
                return false; // no leader of the metadata quorum yet: the election is under way, ask again
            }
        }, Duration.ofSeconds(120), "a new active controller");
        observed.add(String.format("killed node %d (active controller): node %d was active %.1f s later", controller,
                cluster.activeController(), (System.nanoTime() - killed) / 1e9));
        return List.of(controller);
    };

    private IngestUnderFire() {
    }

    static ChaosResult run(String scenario, LocalCluster cluster, Path work, ChaosBenchConfig config, Fault fault, long seed)
            throws IOException, InterruptedException, ExecutionException, TimeoutException {
        TopicCatalog topics = ChaosParts.createTopics(cluster, "chaos-" + scenario);
        Path idx = IdxWriter.noiseSet(work.resolve("idx-" + scenario), config.images(), seed);
        IngestConfig ingestConfig = ChaosParts.ingestConfig(cluster, topics, work.resolve("streams-" + scenario), "chaos-" + scenario,
                "--rate", Double.toString(config.rate()));
        Set<String> expected = expectedIds(ingestConfig, idx);
        List<String> ids = new ArrayList<>();
        List<String> observed = new ArrayList<>();
        Set<String> ingestStates = new LinkedHashSet<>();
        IngestSummary summary;
        long failed = 0;
        try (IngestService ingest = IngestService.start(ingestConfig, MeterRegistries.prometheus("ingest"));
                KafkaConsumer<byte[], byte[]> train = ChaosParts.trainReader(cluster, topics)) {
            ChaosParts.awaitReady(ingest);
            CompletableFuture<IngestSummary> publishing = CompletableFuture.supplyAsync(() -> publish(ingestConfig, idx));
            for (int round = 1; round <= 2; round++) {
                int strikeAt = round == 1 ? config.images() / 10 : config.images() / 2;
                awaitIds(train, ids, strikeAt, ingest, ingestStates);
                List<Integer> killed = fault.strike(cluster, topics, round, observed);
                int before = ids.size();
                awaitIds(train, ids, Math.min(config.images(), before + config.images() / 10), ingest, ingestStates);
                killed.forEach(cluster::restart);
            }
            try {
                summary = publishing.get(600, TimeUnit.SECONDS);
                failed = config.images() - summary.sent();
            } catch (ExecutionException e) {
                observed.add("publishing failed: " + e.getCause().getMessage());
                failed = config.images(); // which were acknowledged is unknown; count them all as failed
            }
            awaitIds(train, ids, expected.size(), ingest, ingestStates);
            long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(3); // a replayed transaction would show now
            while (System.nanoTime() < drainUntil) {
                ChaosParts.poll(train, ids);
            }
            ChaosParts.awaitReady(ingest);
        }
        Set<String> distinct = new HashSet<>(ids);
        long lost = expected.stream().filter(id -> !distinct.contains(id)).count();
        observed.add("ingest Streams states seen: " + ingestStates);
        return new ChaosResult(scenario, lost, ids.size() - distinct.size(), failed, 0, String.join("; ", observed));
    }

    /** Polls until {@code count} ids arrived, noting the normaliser's states meanwhile. */
    private static void awaitIds(KafkaConsumer<byte[], byte[]> train, List<String> ids, int count, IngestService ingest, Set<String> states) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (ids.size() < count) {
            ChaosParts.poll(train, ids);
            states.add(ingest.state().name());
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Only " + ids.size() + " of " + count + " images reached images.train within 300 s; "
                        + "the pipeline did not recover from the fault.");
            }
        }
    }

    static IngestSummary publish(IngestConfig config, Path idx) {
        try (PrintStream quiet = new PrintStream(OutputStream.nullOutputStream())) {
            return IngestCommand.run(config, List.of(idx.toString()), quiet);
        } catch (IOException e) {
            throw new UncheckedIOException("Publishing " + idx + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while publishing " + idx + ".", e);
        }
    }

    /** The ids (sha-256 of the canonical pixels) the input normalises to, computed here without Kafka. */
    static Set<String> expectedIds(IngestConfig config, Path idx) throws IOException {
        ImageNormalizer normalizer = new ImageNormalizer(config.normalizer());
        Set<String> ids = new HashSet<>();
        try (IdxImageSource source = IdxImageSource.open(idx.resolve("train-images-idx3-ubyte"))) {
            Optional<SourceImage> next;
            while ((next = source.next()).isPresent()) {
                if (normalizer.normalize(next.get().encodedBytes(), next.get().label()) instanceof Outcome.Accepted accepted) {
                    ids.add(accepted.id());
                }
            }
        }
        return ids;
    }

}
