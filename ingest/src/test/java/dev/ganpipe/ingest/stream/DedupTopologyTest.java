package dev.ganpipe.ingest.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ganpipe.common.kafka.GanHeaders;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.images.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optional duplicate filter, driven through the production topology. */
class DedupTopologyTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-04T05:06:07Z"), ZoneOffset.UTC);
    private static final TopicCatalog TOPICS = TopicCatalog.defaults();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path stateDir;

    private NormalizerDriver normalizer;
    private TestInputTopic<byte[], byte[]> raw;
    private TestOutputTopic<String, byte[]> train;
    private TestOutputTopic<byte[], byte[]> dlq;

    @AfterEach
    void stop() {
        if (normalizer != null) {
            normalizer.close();
        }
    }

    @Test
    void aRerunOfTheSameImagesUnderOtherKeysReachesTrainOnceAndIsCountedAsDuplicates() {
        start("--dedup", "true", "--dedup-window", "24h");
        byte[] shirt = TestImages.png(TestImages.noise(40, 40, 1));
        byte[] shoe = TestImages.png(TestImages.noise(40, 40, 2));
        send("run1/shirt.png", shirt, T0);
        send("run1/shoe.png", shoe, T0.plusSeconds(1));
        // The second run: same pictures, other keys (another upload, another folder), an hour later.
        send("run2/shirt.png", shirt, T0.plusSeconds(3600));
        send("run2/shoe.png", shoe, T0.plusSeconds(3601));
        List<TestRecord<String, byte[]>> records = train.readRecordsToList();
        assertThat(records).hasSize(2);
        assertThat(records.get(0).key()).isNotEqualTo(records.get(1).key());
        assertThat(count("duplicate", "seen_in_window")).isEqualTo(2);
        assertThat(count("accepted", "none")).as("accepted counts what reached the train topic").isEqualTo(2);
        assertThat(dlq.isEmpty()).as("duplicates are not errors").isTrue();
    }

    @Test
    void anImageSeenLongerAgoThanTheWindowIsAcceptedAgain() {
        start("--dedup", "--dedup-window", "1h");
        byte[] shirt = TestImages.png(TestImages.noise(40, 40, 1));
        send("a", shirt, T0);
        send("b", shirt, T0.plusSeconds(1800));
        // Stream time must pass the window for the id to be forgotten.
        send("c", TestImages.png(TestImages.noise(40, 40, 9)), T0.plus(Duration.ofHours(3)));
        send("d", shirt, T0.plus(Duration.ofHours(3)));
        List<String> keys = new ArrayList<>(train.readKeyValuesToMap().keySet());
        assertThat(train.isEmpty()).isTrue();
        assertThat(count("duplicate", "seen_in_window")).isEqualTo(1);
        assertThat(count("accepted", "none")).isEqualTo(3);
        assertThat(keys).hasSize(2);
    }

    @Test
    void copiesArrivingOutOfTimeOrderAreStillCaught() {
        start("--dedup", "--dedup-window", "1h");
        byte[] shirt = TestImages.png(TestImages.noise(40, 40, 1));
        send("late-producer", shirt, T0.plusSeconds(600));
        send("early-producer", shirt, T0);
        assertThat(train.readRecordsToList()).hasSize(1);
        assertThat(count("duplicate", "seen_in_window")).isEqualTo(1);
    }

    @Test
    void withTheFilterOffEveryCopyGoesToTrainAsBefore() {
        start();
        byte[] shirt = TestImages.png(TestImages.noise(40, 40, 1));
        send("a", shirt, T0);
        send("b", shirt, T0.plusSeconds(1));
        assertThat(train.readRecordsToList()).hasSize(2);
        assertThat(count("duplicate", "seen_in_window")).isZero();
        assertThat(count("accepted", "none")).isEqualTo(2);
    }

    @Test
    void withTheFilterOnRejectsStillGoToTheDeadLetterTopicAndAcceptedImagesKeepTheirHeaders() {
        start("--dedup");
        send("junk", TestImages.randomBytes(300, 4), T0);
        byte[] shirt = TestImages.png(TestImages.noise(40, 40, 1));
        Headers labelled = new RecordHeaders();
        GanHeaders.put(labelled, GanHeaders.LABEL, "Shirt");
        raw.pipeInput(new TestRecord<>("s".getBytes(StandardCharsets.UTF_8), shirt, labelled, T0));
        TestRecord<String, byte[]> out = train.readRecord();
        assertThat(GanHeaders.text(out.headers(), GanHeaders.LABEL)).hasValue("6");
        assertThat(GanHeaders.text(out.headers(), "ce_id")).hasValue(out.key());
        assertThat(out.timestamp()).as("the record time survives the repartition").isEqualTo(T0.toEpochMilli());
        assertThat(GanHeaders.text(dlq.readRecord().headers(), GanHeaders.ERROR_REASON)).hasValue("undecodable");
        assertThat(count("rejected", "undecodable")).isEqualTo(1);
    }

    @Test
    void theFilterRepartitionsByImageIdSoEveryCopyMeetsTheSameStore() {
        start("--dedup");
        assertThat(normalizer.driver.producedTopicNames()).isEmpty();
        send("a", TestImages.goodPng(), T0);
        assertThat(normalizer.driver.producedTopicNames()).contains("test-ingest-images-by-id-repartition",
                "test-ingest-dedup-image-ids-changelog", TOPICS.imagesTrain());
    }

    private void start(String... flags) {
        List<String> args = new ArrayList<>(List.of("--application-id", "test-ingest"));
        args.addAll(List.of(flags));
        normalizer = new NormalizerDriver(stateDir, CLOCK, args.toArray(String[]::new));
        raw = normalizer.raw;
        train = normalizer.train;
        dlq = normalizer.dlq;
    }

    private void send(String key, byte[] value, Instant time) {
        normalizer.send(key, value, new RecordHeaders(), time);
    }

    private double count(String outcome, String reason) {
        return normalizer.count(outcome, reason);
    }
}
