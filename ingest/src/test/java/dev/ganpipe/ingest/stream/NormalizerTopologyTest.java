package dev.ganpipe.ingest.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.image.Png;
import dev.ganpipe.common.kafka.CloudEvents;
import dev.ganpipe.common.kafka.GanHeaders;
import dev.ganpipe.common.kafka.TrainImageHeaders;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.metrics.MetricNames;
import dev.ganpipe.images.TestImages;
import dev.ganpipe.images.normalize.ClassList;
import dev.ganpipe.images.normalize.ImageNormalizer;
import dev.ganpipe.images.normalize.NormalizerSettings;
import dev.ganpipe.images.normalize.Outcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NormalizerTopologyTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-04T05:06:07Z"), ZoneOffset.UTC);
    private static final TopicCatalog TOPICS = TopicCatalog.defaults();

    @TempDir
    Path stateDir;

    private NormalizerDriver normalizer;
    private SimpleMeterRegistry registry;
    private TestOutputTopic<String, byte[]> train;
    private TestOutputTopic<byte[], byte[]> dlq;

    @BeforeEach
    void start() {
        normalizer = new NormalizerDriver(stateDir, CLOCK);
        registry = normalizer.registry;
        train = normalizer.train;
        dlq = normalizer.dlq;
    }

    @AfterEach
    void stop() {
        normalizer.close();
    }

    @Test
    void aGoodLabelledImageGoesToTrainKeyedByItsImageIdWithItsHeaders() {
        byte[] png = TestImages.png(TestImages.noise(60, 40, 9));
        send("upload-1", png, Optional.of("7"));

        Outcome.Accepted expected = (Outcome.Accepted) new ImageNormalizer(NormalizerSettings.defaults()).normalize(png, Optional.of("7"));
        TestRecord<String, byte[]> record = train.readRecord();
        assertThat(record.key()).isEqualTo(expected.id()).hasSize(64);
        assertThat(Png.decode(record.value(), ImageShape.FASHION_MNIST)).isEqualTo(expected.image());
        Headers h = record.headers();
        assertThat(text(h, GanHeaders.LABEL)).isEqualTo("7");
        assertThat(TrainImageHeaders.classNames(h)).as("the class names travel with the label, so the trainer learns them")
                .containsExactlyElementsOf(ClassList.fashionMnist().names()).element(7).isEqualTo("Sneaker");
        assertThat(text(h, GanHeaders.IMAGE_SHAPE)).isEqualTo("28x28x1");
        assertThat(text(h, CloudEvents.SPECVERSION)).isEqualTo("1.0");
        assertThat(text(h, CloudEvents.ID)).isEqualTo(expected.id());
        assertThat(text(h, CloudEvents.SOURCE)).isEqualTo("/gan/ingest");
        assertThat(text(h, CloudEvents.TYPE)).isEqualTo(CloudEvents.TYPE_IMAGE_TRAIN);
        assertThat(text(h, CloudEvents.TIME)).isEqualTo("2026-03-04T05:06:07Z");
        assertThat(text(h, GanHeaders.CONTENT_TYPE)).isEqualTo("image/png");
        assertThat(train.isEmpty()).isTrue();
        assertThat(dlq.isEmpty()).isTrue();
        assertThat(count("accepted", "none")).isEqualTo(1);
        assertThat(registry.get(MetricNames.INGEST_BYTES).counter().count()).isEqualTo(png.length);
        assertThat(registry.get(MetricNames.INGEST_NORMALIZE).timer().count()).isEqualTo(1);
    }

    @Test
    void anUnlabelledImageHasNoLabelHeaderAndTheSamePictureAlwaysGetsTheSameKey() {
        send("a", TestImages.goodPng(), Optional.empty());
        send("b", TestImages.goodPng(), Optional.empty());
        List<TestRecord<String, byte[]>> records = train.readRecordsToList();
        assertThat(records).hasSize(2);
        assertThat(records.get(0).key()).isEqualTo(records.get(1).key());
        assertThat(records.get(0).headers().lastHeader(GanHeaders.LABEL)).isNull();
        assertThat(records.get(0).headers().lastHeader(GanHeaders.CLASSES)).isNull();
    }

    @Test
    void everyNastyInputLandsInTheDeadLetterTopicUntouchedWithItsReason() {
        Map<String, Nasty> corpus = new LinkedHashMap<>();
        corpus.put("truncated-png", new Nasty(TestImages.truncatedPng(), Optional.empty(), "truncated"));
        corpus.put("lossless-jpeg", new Nasty(TestImages.losslessJpeg(), Optional.empty(), "unsupported_format"));
        corpus.put("one-pixel", new Nasty(TestImages.png(TestImages.gray(1, 1, (x, y) -> 200)), Optional.empty(), "too_small"));
        corpus.put("png-bomb", new Nasty(TestImages.pngHeaderOnly(20_000, 20_000), Optional.empty(), "too_many_pixels"));
        corpus.put("random-bytes", new Nasty(TestImages.randomBytes(4096, 11), Optional.empty(), "undecodable"));
        corpus.put("empty", new Nasty(new byte[0], Optional.empty(), "empty"));
        corpus.put("label-out-of-range", new Nasty(TestImages.goodPng(), Optional.of("12"), "bad_label"));
        corpus.put("too-large", new Nasty(new byte[NormalizerSettings.DEFAULT_MAX_BYTES + 1], Optional.empty(), "too_large"));
        corpus.forEach((key, nasty) -> send(key, nasty.bytes(), nasty.label()));

        List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).hasSize(corpus.size());
        assertThat(train.isEmpty()).isTrue();
        int offset = 0;
        for (Map.Entry<String, Nasty> entry : corpus.entrySet()) {
            TestRecord<byte[], byte[]> record = dead.get(offset);
            Headers h = record.headers();
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(entry.getKey());
            assertThat(record.value()).as(entry.getKey()).containsExactly(entry.getValue().bytes());
            assertThat(text(h, GanHeaders.ERROR_REASON)).as(entry.getKey()).isEqualTo(entry.getValue().reason());
            assertThat(text(h, GanHeaders.ERROR_DETAIL)).as(entry.getKey()).isNotBlank().endsWith(".");
            assertThat(text(h, GanHeaders.SOURCE_TOPIC)).isEqualTo("images.raw");
            assertThat(text(h, GanHeaders.SOURCE_PARTITION)).isEqualTo("0");
            assertThat(text(h, GanHeaders.SOURCE_OFFSET)).isEqualTo(Integer.toString(offset));
            assertThat(text(h, CloudEvents.TYPE)).isEqualTo(CloudEvents.TYPE_IMAGE_REJECTED);
            assertThat(text(h, CloudEvents.SOURCE)).isEqualTo("/gan/ingest");
            assertThat(text(h, CloudEvents.TIME)).isEqualTo("2026-03-04T05:06:07Z");
            if (entry.getValue().label().isPresent()) {
                assertThat(text(h, GanHeaders.LABEL)).as("the original label is kept for a replay").isEqualTo(entry.getValue().label().get());
            }
            assertThat(count("rejected", entry.getValue().reason())).as(entry.getKey()).isEqualTo(1);
            offset++;
        }
        assertThat(text(dead.get(0).headers(), GanHeaders.CONTENT_TYPE)).isEqualTo("image/png");
        assertThat(text(dead.get(4).headers(), GanHeaders.CONTENT_TYPE)).isEqualTo("application/octet-stream");
        assertThat(count("accepted", "none")).isZero();
    }

    @Test
    void oddButValidInputsAreNormalisedNotRejected() {
        // RGBA with transparency: composited onto the black background.
        byte[] rgba = TestImages.png(TestImages.argb(40, 40, (x, y) -> x < 20 ? 0xffffffff : 0x00ffffff));
        send("rgba", rgba, Optional.empty());
        // CMYK JPEG: the JDK decoder reads four-channel JPEGs.
        send("cmyk", TestImages.cmykJpeg(), Optional.of("Bag"));
        List<TestRecord<String, byte[]>> records = train.readRecordsToList();
        assertThat(records).hasSize(2);
        assertThat(dlq.isEmpty()).isTrue();
        var composited = Png.decode(records.get(0).value(), ImageShape.FASHION_MNIST);
        assertThat(composited.value(2, 10, 0)).isEqualTo(255);
        assertThat(composited.value(25, 10, 0)).isZero();
        assertThat(text(records.get(1).headers(), GanHeaders.LABEL)).as("names map to indices").isEqualTo("8");
    }

    private record Nasty(byte[] bytes, Optional<String> label, String reason) {
    }

    private void send(String key, byte[] value, Optional<String> label) {
        Headers headers = new RecordHeaders();
        label.ifPresent(l -> GanHeaders.put(headers, GanHeaders.LABEL, l));
        normalizer.send(key, value, headers, Instant.parse("2026-01-01T00:00:00Z"));
    }

    private double count(String outcome, String reason) {
        return normalizer.count(outcome, reason);
    }

    private static String text(Headers headers, String name) {
        return GanHeaders.text(headers, name).orElse(null);
    }
}
