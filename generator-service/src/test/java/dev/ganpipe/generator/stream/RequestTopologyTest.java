package dev.ganpipe.generator.stream;

import static dev.ganpipe.generator.SyntheticImageHeaders.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ganpipe.common.image.CanonicalImage;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.image.Png;
import dev.ganpipe.common.kafka.CloudEvents;
import dev.ganpipe.common.kafka.GanHeaders;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.metrics.MetricNames;
import dev.ganpipe.generator.ConditionalTestModel;
import dev.ganpipe.generator.SyntheticImageHeaders;
import dev.ganpipe.generator.TestModels;
import dev.ganpipe.generator.batch.MicroBatcher;
import dev.ganpipe.generator.images.Generation;
import dev.ganpipe.generator.model.ModelLease;
import dev.ganpipe.generator.model.ModelCatalog;
import dev.ganpipe.generator.model.ModelRegistry;
import dev.ganpipe.generator.onnx.OrtSessionFactory;
import dev.ganpipe.generator.onnx.OrtSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RequestTopologyTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-04T05:06:07Z"), ZoneOffset.UTC);
    private static final TopicCatalog TOPICS = TopicCatalog.defaults();
    private static final ImageShape SHAPE = ImageShape.parse(TestModels.SHAPE);
    private static final int MAX_COUNT = 32;
    private static OrtSessionFactory ort;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private ModelCatalog registry;
    private MicroBatcher batcher;
    private Generation generation;
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> requests;
    private TestOutputTopic<String, byte[]> images;
    private TestOutputTopic<byte[], byte[]> dlq;

    @BeforeAll
    static void loadOrt() {
        ort = new OrtSessionFactory(OrtSettings.cpu());
    }

    @BeforeEach
    void start() {
        registry = new ModelCatalog(ModelRegistry.onnxLoader(ort), 2, meters, CLOCK);
        batcher = new MicroBatcher(16, Duration.ZERO, meters);
        generation = new Generation(registry, batcher, meters);
        RequestMetrics metrics = new RequestMetrics(meters);
        driver = new TopologyTestDriver(RequestTopology.buildTopology(TOPICS, generation, MAX_COUNT, metrics, CLOCK),
                RequestTopology.streamsConfig(KafkaSettings.of("unused:9092"), "generator-test", TOPICS, metrics, CLOCK));
        requests = driver.createInputTopic(TOPICS.syntheticRequests(), new org.apache.kafka.common.serialization.ByteArraySerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer());
        images = driver.createOutputTopic(TOPICS.syntheticImages(), TOPICS.synthetic().keySerde().deserializer(),
                TOPICS.synthetic().valueSerde().deserializer());
        dlq = driver.createOutputTopic(TOPICS.imagesDlq(), TOPICS.dlq().keySerde().deserializer(), TOPICS.dlq().valueSerde().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
        batcher.close();
        registry.close();
    }

    private void publishModel() {
        registry.offer(TestModels.first().manifest(3), TestModels.first().onnx(), "test");
    }

    private void send(String key, String json) {
        requests.pipeInput(key == null ? null : key.getBytes(StandardCharsets.UTF_8), json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    private List<CanonicalImage> expected(long seed, int count) {
        try (ModelLease lease = registry.acquire().orElseThrow()) {
            return generation.images(lease.model(), seed, count, null);
        }
    }

    private double count(String outcome, String reason) {
        return meters.get(MetricNames.GENERATOR_STREAM_REQUESTS).tag(MetricNames.TAG_OUTCOME, outcome).tag(MetricNames.TAG_REASON, reason)
                .counter().count();
    }

    @Test
    void aRequestBecomesCountPngRecordsKeyedByTheRequestIdWithTheirSeedIndexVersionAndCloudEventsHeaders() {
        publishModel();
        send("req-1", "{\"count\":5,\"seed\":42}");

        List<TestRecord<String, byte[]>> out = images.readRecordsToList();
        assertThat(meters.get(MetricNames.GENERATOR_IMAGES).counter().count()).isEqualTo(5);
        List<CanonicalImage> expected = expected(42, 5);
        assertThat(out).hasSize(5);
        for (int i = 0; i < out.size(); i++) {
            TestRecord<String, byte[]> record = out.get(i);
            assertThat(record.key()).isEqualTo("req-1");
            assertThat(Png.decode(record.value(), SHAPE)).as("image %d is image %d of seed 42, as over HTTP", i, i).isEqualTo(expected.get(i));
            Headers h = record.headers();
            SyntheticImageHeaders.assertImage(h, 3, 42, i, "2026-03-04T05:06:07Z");
            assertThat(h.lastHeader(GanHeaders.LABEL)).as("no label for an unconditional model").isNull();
            assertThat(text(h, GanHeaders.IMAGE_SHAPE)).isEqualTo("28x28x1");
            assertThat(text(h, CloudEvents.SPECVERSION)).isEqualTo("1.0");
            assertThat(text(h, CloudEvents.ID)).isEqualTo("synthetic.requests-0@0/" + i);
        }
        assertThat(dlq.isEmpty()).isTrue();
        assertThat(count(MetricNames.OUTCOME_ACCEPTED, MetricNames.REASON_NONE)).isEqualTo(1);
    }

    @Test
    void withoutASeedTheSeedIsDerivedFromTheRecordPositionAndReportedSoTheImagesCanBeRepeated() {
        publishModel();
        send("a", "{\"count\":2}");
        send("b", "{\"count\":2,\"seed\":null}");

        List<TestRecord<String, byte[]>> out = images.readRecordsToList();
        assertThat(out).hasSize(4);
        long first = Long.parseLong(text(out.get(0).headers(), GanHeaders.SEED));
        long second = Long.parseLong(text(out.get(2).headers(), GanHeaders.SEED));
        assertThat(first).isEqualTo(SyntheticRequest.seedFor(TOPICS.syntheticRequests(), 0, 0)).isNotEqualTo(second)
                .isBetween(0L, (1L << 53) - 1);
        assertThat(Png.decode(out.get(1).value(), SHAPE)).isEqualTo(expected(first, 2).get(1));
    }

    @Test
    void malformedRequestsGoToTheDeadLetterTopicWithTheirOriginalBytesAReasonAndTheirSource() {
        publishModel();
        List<String[]> cases = List.of(
                new String[] {"k1", "not json", "malformed_request"},
                new String[] {"k2", "[1,2]", "malformed_request"},
                new String[] {"k3", "{\"count\":2,\"colour\":\"red\"}", "malformed_request"},
                new String[] {"k4", "{\"count\":2} trailing", "malformed_request"},
                new String[] {"k5", "{\"count\":2,\"seed\":\"x\"}", "malformed_request"},
                new String[] {"k6", "{\"seed\":1}", "bad_count"},
                new String[] {"k7", "{\"count\":0}", "bad_count"},
                new String[] {"k8", "{\"count\":33}", "bad_count"},
                new String[] {"k9", "{\"count\":2.5}", "bad_count"},
                new String[] {"k10", "{\"count\":99999999999999999999}", "bad_count"},
                new String[] {"k11", "{\"count\":2,\"label\":3}", "bad_label"},
                new String[] {"k12", "{\"count\":2,\"label\":-1}", "bad_label"},
                new String[] {null, "{\"count\":2}", "missing_key"},
                new String[] {"k14", null, "malformed_request"});
        Headers original = new RecordHeaders();
        GanHeaders.put(original, "trace-id", "abc");
        for (String[] c : cases) {
            requests.pipeInput(new TestRecord<>(c[0] == null ? null : c[0].getBytes(StandardCharsets.UTF_8),
                    c[1] == null ? null : c[1].getBytes(StandardCharsets.UTF_8), original));
        }

        List<TestRecord<byte[], byte[]>> letters = dlq.readRecordsToList();
        assertThat(images.isEmpty()).as("a rejected request produces no image").isTrue();
        assertThat(letters).hasSize(cases.size());
        for (int i = 0; i < cases.size(); i++) {
            String[] c = cases.get(i);
            TestRecord<byte[], byte[]> letter = letters.get(i);
            Headers h = letter.headers();
            assertThat(text(h, GanHeaders.ERROR_REASON)).as(c[1]).isEqualTo(c[2]);
            assertThat(text(h, GanHeaders.ERROR_DETAIL)).as(c[1]).endsWith(".").hasSizeGreaterThan(30);
            assertThat(letter.key()).isEqualTo(c[0] == null ? null : c[0].getBytes(StandardCharsets.UTF_8));
            assertThat(letter.value()).isEqualTo(c[1] == null ? null : c[1].getBytes(StandardCharsets.UTF_8));
            assertThat(text(h, GanHeaders.SOURCE_TOPIC)).isEqualTo("synthetic.requests");
            assertThat(text(h, GanHeaders.SOURCE_PARTITION)).isEqualTo("0");
            assertThat(text(h, GanHeaders.SOURCE_OFFSET)).isEqualTo(Integer.toString(i));
            assertThat(text(h, CloudEvents.TYPE)).isEqualTo("gan.request.rejected.v1");
            assertThat(text(h, CloudEvents.SOURCE)).isEqualTo("/gan/generator");
            assertThat(text(h, "trace-id")).as("the original headers are kept").isEqualTo("abc");
        }
        assertThat(text(letters.get(10).headers(), GanHeaders.ERROR_DETAIL)).contains("unconditional");
        assertThat(text(letters.get(7).headers(), GanHeaders.ERROR_DETAIL)).contains("1 to 32");
        assertThat(count(MetricNames.OUTCOME_REJECTED, "malformed_request")).isEqualTo(6);
        assertThat(count(MetricNames.OUTCOME_REJECTED, "bad_count")).isEqualTo(5);
        assertThat(count(MetricNames.OUTCOME_REJECTED, "bad_label")).isEqualTo(2);
        assertThat(count(MetricNames.OUTCOME_REJECTED, "missing_key")).isEqualTo(1);
        assertThat(count(MetricNames.OUTCOME_ACCEPTED, MetricNames.REASON_NONE)).isZero();
    }

    @Test
    void imagesCarryTheirClassifierConfidenceAndMinConfidenceKeepsOnlyTheConfidentOnes() {
        byte[] onnx = ConditionalTestModel.onnxWithClassifier();
        registry.offer(ConditionalTestModel.manifest(onnx, 1), onnx, "test");
        send("all", "{\"count\":8,\"seed\":3,\"label\":2}");
        List<TestRecord<String, byte[]>> all = images.readRecordsToList();
        List<Double> confidences = all.stream().map(r -> Double.parseDouble(text(r.headers(), GanHeaders.LABEL_CONFIDENCE))).toList();
        double threshold = confidences.stream().sorted().toList().get(4);
        assertThat(confidences).as("without the filter some images fall below the threshold").anyMatch(c -> c < threshold);

        send("confident", "{\"count\":4,\"seed\":3,\"label\":2,\"min_confidence\":" + threshold + "}");
        List<TestRecord<String, byte[]>> kept = images.readRecordsToList();
        assertThat(kept).hasSize(4);
        for (TestRecord<String, byte[]> record : kept) {
            assertThat(Double.parseDouble(text(record.headers(), GanHeaders.LABEL_CONFIDENCE))).isGreaterThanOrEqualTo(threshold);
            int index = Integer.parseInt(text(record.headers(), GanHeaders.INDEX));
            if (index < all.size()) {
                assertThat(record.value()).as("gan.index names the noise row it came from").isEqualTo(all.get(index).value());
            }
        }
        assertThat(dlq.isEmpty()).isTrue();
    }

    @Test
    void aMinConfidenceThatCannotBeMetOrJudgedIsDeadLetteredWithItsReason() {
        byte[] judged = ConditionalTestModel.onnxWithClassifier();
        registry.offer(ConditionalTestModel.manifest(judged, 1), judged, "test");
        send("too-sure", "{\"count\":2,\"seed\":3,\"min_confidence\":0.99}");
        byte[] plain = ConditionalTestModel.onnx();
        registry.offer(ConditionalTestModel.manifest(plain, 2), plain, "test");
        send("unjudged", "{\"count\":2,\"seed\":3,\"min_confidence\":0.5}");
        send("bad", "{\"count\":2,\"min_confidence\":\"high\"}");

        assertThat(images.isEmpty()).isTrue();
        List<TestRecord<byte[], byte[]>> letters = dlq.readRecordsToList();
        assertThat(letters).extracting(r -> text(r.headers(), GanHeaders.ERROR_REASON))
                .containsExactly("low_confidence", "no_classifier", "malformed_request");
        assertThat(text(letters.get(0).headers(), GanHeaders.ERROR_DETAIL)).contains("lower min_confidence");
        assertThat(count("rejected", "low_confidence")).isEqualTo(1);
    }

    @Test
    void aConditionalModelsImagesCarryTheirLabelAndAnUnknownLabelIsDeadLettered() {
        byte[] onnx = ConditionalTestModel.onnx();
        registry.offer(ConditionalTestModel.manifest(onnx, 1), onnx, "test");
        send("mixed", "{\"count\":4,\"seed\":1}");
        send("squares", "{\"count\":2,\"seed\":1,\"label\":1}");
        send("unknown", "{\"count\":2,\"label\":3}");

        List<TestRecord<String, byte[]>> out = images.readRecordsToList();
        assertThat(out).extracting(r -> r.key() + ":" + text(r.headers(), GanHeaders.LABEL))
                .containsExactly("mixed:0", "mixed:1", "mixed:2", "mixed:0", "squares:1", "squares:1");
        assertThat(out.get(5).value()).as("image 1 of seed 1 with label 1, however it was asked for").isEqualTo(out.get(1).value());
        TestRecord<byte[], byte[]> letter = dlq.readRecord();
        assertThat(text(letter.headers(), GanHeaders.ERROR_REASON)).isEqualTo("bad_label");
        assertThat(text(letter.headers(), GanHeaders.ERROR_DETAIL)).contains("3 classes").contains("0=circle");
    }

    @Test
    void aValueOrKeyThatIsNotUtf8IsAMalformedRequestAndKeepsItsExactBytes() {
        publishModel();
        byte[] bad = {'{', '"', 'c', (byte) 0xff, (byte) 0xfe, '"', ':', '1', '}'};
        requests.pipeInput("k".getBytes(StandardCharsets.UTF_8), bad);
        requests.pipeInput(new byte[] {(byte) 0xc3, (byte) 0x28}, "{\"count\":1}".getBytes(StandardCharsets.UTF_8));

        List<TestRecord<byte[], byte[]>> letters = dlq.readRecordsToList();
        assertThat(letters).hasSize(2);
        assertThat(letters.get(0).value()).isEqualTo(bad);
        assertThat(text(letters.get(0).headers(), GanHeaders.ERROR_REASON)).isEqualTo("malformed_request");
        assertThat(letters.get(1).key()).isEqualTo(new byte[] {(byte) 0xc3, (byte) 0x28});
        assertThat(text(letters.get(1).headers(), GanHeaders.ERROR_DETAIL)).contains("request id");
    }

    @Test
    void beforeAnyModelIsLiveARequestIsDeadLetteredAsNoModelAndAnsweredOnceOneIs() {
        send("early", "{\"count\":1}");
        TestRecord<byte[], byte[]> letter = dlq.readRecord();
        assertThat(text(letter.headers(), GanHeaders.ERROR_REASON)).isEqualTo("no_model");
        assertThat(text(letter.headers(), GanHeaders.ERROR_DETAIL)).contains("/readyz");

        publishModel();
        send("late", "{\"count\":1}");
        assertThat(images.readRecord().key()).isEqualTo("late");
        assertThat(count(MetricNames.OUTCOME_REJECTED, "no_model")).isEqualTo(1);
    }

    @Test
    void aFailureWhileGeneratingDeadLettersTheRequestAsInternalAndTheStreamGoesOn() {
        publishModel();
        // A closed batcher fails every forward pass, as ONNX Runtime failing would.
        batcher.close();
        send("doomed", "{\"count\":3}");

        TestRecord<byte[], byte[]> letter = dlq.readRecord();
        assertThat(letter.value()).isEqualTo("{\"count\":3}".getBytes(StandardCharsets.UTF_8));
        assertThat(text(letter.headers(), GanHeaders.ERROR_REASON)).isEqualTo("internal");
        assertThat(text(letter.headers(), GanHeaders.SOURCE_OFFSET)).isEqualTo("0");
        assertThat(images.isEmpty()).as("no half answer").isTrue();
        assertThat(count(MetricNames.OUTCOME_REJECTED, "internal")).isEqualTo(1);

        send("next", "{\"count\":\"x\"}");
        assertThat(text(dlq.readRecord().headers(), GanHeaders.ERROR_REASON)).as("the stream still runs").isEqualTo("bad_count");
    }
}
