package dev.ganpipe.reliability.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ganpipe.images.source.IdxWriter;
import dev.ganpipe.broker.cluster.LocalCluster;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.metrics.MeterRegistries;
import dev.ganpipe.ingest.IngestConfig;
import dev.ganpipe.ingest.IngestService;
import dev.ganpipe.ingest.publish.IngestSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a cluster of three broker processes (topics with three replicas, {@code min.insync.replicas=2}), the leader of
 * an {@code images.raw} partition is killed with SIGKILL while 3,000 images go through {@code gan ingest} and the
 * normaliser, and once it is back the leader of an {@code images.train} partition is killed too: afterwards every
 * image is on {@code images.train} exactly once, as a read_committed consumer sees it, and none is dead-lettered.
 */
class LeaderKilledDuringIngestTest {

    private static final int IMAGES = 3_000;

    @TempDir
    Path dir;

    @Test
    void noImageIsLostOrDuplicatedWhenPartitionLeadersAreKilled() throws Exception {
        try (LocalCluster cluster = LocalCluster.start(dir.resolve("cluster"), 3, 0)) {
            String bootstrap = cluster.bootstrapServers();
            TopicCatalog topics = Faults.createTopics(bootstrap, "leaderkill", 2, cluster.quorum().replication());
            Path idx = IdxWriter.noiseSet(dir.resolve("idx"), IMAGES, 7);
            // Throttled so that publishing (about 15 s) is still going on when the first leader dies.
            IngestConfig config = Faults.ingestConfig(bootstrap, topics, dir.resolve("streams"), "faults-leader-kill", "--rate", "200",
                    "--progress", "off");
            Set<String> expected = Faults.expectedIds(config, idx);
            assertThat(expected).as("the input holds %d distinct images", IMAGES).hasSize(IMAGES);

            List<String> trainKeys = new ArrayList<>();
            int beforeFirstKill;
            int rawLeader;
            int trainLeader;
            try (IngestService ingest = IngestService.start(config, MeterRegistries.prometheus("ingest"));
                    KafkaConsumer<byte[], byte[]> train = Faults.reader(bootstrap, topics.imagesTrain())) {
                await().atMost(Duration.ofSeconds(90)).until(ingest::ready);
                CompletableFuture<IngestSummary> publishing = CompletableFuture.supplyAsync(() -> Faults.publish(config, idx));
                awaitAtLeast(train, trainKeys, 300);
                beforeFirstKill = trainKeys.size();

                rawLeader = cluster.leaderOf(topics.imagesRaw(), 0);
                cluster.kill(rawLeader);
                awaitAtLeast(train, trainKeys, trainKeys.size() + 300); // the pipeline goes on with two brokers
                cluster.restart(rawLeader);

                trainLeader = cluster.leaderOf(topics.imagesTrain(), 0);
                cluster.kill(trainLeader);
                IngestSummary summary = publishing.get(240, TimeUnit.SECONDS);
                assertThat(summary.sent()).as("every image was acknowledged by the cluster").isEqualTo(IMAGES);
                awaitAtLeast(train, trainKeys, IMAGES);
                cluster.restart(trainLeader);
                // A duplicate from a replayed transaction would arrive now.
                train.poll(Duration.ofSeconds(3)).forEach(r -> trainKeys.add(Faults.text(r.key())));
                await().atMost(Duration.ofSeconds(90)).until(ingest::ready);
            }
            List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
            try (KafkaConsumer<byte[], byte[]> dlq = Faults.reader(bootstrap, topics.imagesDlq())) {
                Faults.pollInto(dlq, dead, Duration.ofSeconds(2));
            }
            System.out.printf("leader kill during ingest: %d sent, %d on %s before node %d (raw leader) was killed, node %d (train leader) "
                    + "killed next; %d after (%d distinct), %d in the DLQ%n", IMAGES, beforeFirstKill, topics.imagesTrain(), rawLeader,
                    trainLeader, trainKeys.size(), new HashSet<>(trainKeys).size(), dead.size());
            assertThat(beforeFirstKill).as("the leader died in the middle of the ingest").isLessThan(IMAGES);
            assertThat(trainKeys).as("no image lost, none twice").hasSize(IMAGES).doesNotHaveDuplicates();
            assertThat(new HashSet<>(trainKeys)).isEqualTo(expected);
            assertThat(dead).as("nothing dead-lettered").isEmpty();
        }
    }

    private static void awaitAtLeast(KafkaConsumer<byte[], byte[]> train, List<String> keys, int count) {
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(10)).until(() -> {
            train.poll(Duration.ofMillis(200)).forEach(r -> keys.add(Faults.text(r.key())));
            return keys.size() >= count;
        });
    }
}
