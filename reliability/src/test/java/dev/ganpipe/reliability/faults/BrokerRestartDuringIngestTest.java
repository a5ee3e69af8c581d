package dev.ganpipe.reliability.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ganpipe.images.source.IdxWriter;
import dev.ganpipe.broker.TestBroker;
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
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker is stopped and started again (same data directory, same port) while 3,000 images from an IDX file go
 * through {@code gan ingest} and the normaliser: afterwards every image is on {@code images.train} exactly once, as
 * a read_committed consumer sees it, and none is dead-lettered.
 */
class BrokerRestartDuringIngestTest {

    private static final int IMAGES = 3_000;

    @RegisterExtension
    static final TestBroker kafka = new TestBroker();

    @TempDir
    Path dir;

    @Test
    void everyImageReachesTheTrainingTopicExactlyOnceAcrossABrokerRestart() throws Exception {
        String bootstrap = kafka.bootstrapServers();
        TopicCatalog topics = Faults.createTopics(bootstrap, "restart", 2);
        Path idx = IdxWriter.noiseSet(dir.resolve("idx"), IMAGES, 42);
        // Throttled so that publishing (about 10 s) is still going on when the broker goes away.
        IngestConfig config = Faults.ingestConfig(bootstrap, topics, dir.resolve("streams"), "faults-restart", "--rate", "300",
                "--progress", "off");
        Set<String> expected = Faults.expectedIds(config, idx);
        assertThat(expected).as("the input holds %d distinct images", IMAGES).hasSize(IMAGES);

        List<String> trainKeys = new ArrayList<>();
        int beforeRestart;
        try (IngestService ingest = IngestService.start(config, MeterRegistries.prometheus("ingest"))) {
            await().atMost(Duration.ofSeconds(60)).until(ingest::ready);
            CompletableFuture<IngestSummary> publishing = CompletableFuture.supplyAsync(() -> Faults.publish(config, idx));
            try (KafkaConsumer<byte[], byte[]> train = Faults.reader(bootstrap, topics.imagesTrain())) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> {
                    train.poll(Duration.ofMillis(100)).forEach(r -> trainKeys.add(Faults.text(r.key())));
                    return trainKeys.size() >= 300;
                });
                beforeRestart = trainKeys.size();

                kafka.stop();
                kafka.startAgain();

                IngestSummary summary = publishing.get(180, TimeUnit.SECONDS);
                assertThat(summary.sent()).as("every image was acknowledged by the broker").isEqualTo(IMAGES);
                await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(10)).until(() -> {
                    train.poll(Duration.ofMillis(200)).forEach(r -> trainKeys.add(Faults.text(r.key())));
                    return trainKeys.size() >= IMAGES;
                });
                // A duplicate from a replayed transaction would arrive now.
                train.poll(Duration.ofSeconds(3)).forEach(r -> trainKeys.add(Faults.text(r.key())));
            }
            await().atMost(Duration.ofSeconds(60)).until(ingest::ready);
        }
        List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> dlq = Faults.reader(bootstrap, topics.imagesDlq())) {
            Faults.pollInto(dlq, dead, Duration.ofSeconds(2));
        }
        System.out.printf("broker restart during ingest: %d sent, %d on %s before the restart, %d after (%d distinct), %d in the DLQ%n",
                IMAGES, beforeRestart, topics.imagesTrain(), trainKeys.size(), new HashSet<>(trainKeys).size(), dead.size());
        assertThat(beforeRestart).as("the broker restarted in the middle of the ingest").isLessThan(IMAGES);
        assertThat(trainKeys).as("no image lost, none twice").hasSize(IMAGES).doesNotHaveDuplicates();
        assertThat(new HashSet<>(trainKeys)).isEqualTo(expected);
        assertThat(dead).as("nothing dead-lettered").isEmpty();
    }
}
