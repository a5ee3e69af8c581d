package dev.ganpipe.generator.continuous;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ganpipe.common.image.CanonicalImage;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.image.Png;
import dev.ganpipe.common.kafka.GanHeaders;
import dev.ganpipe.common.metrics.MetricNames;
import dev.ganpipe.common.time.ManualClock;
import dev.ganpipe.common.time.Sleeper;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ContinuousPublisherTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static OrtSessionFactory ort;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ManualClock clock = new ManualClock(T0);
    private final RecordingSink sink = new RecordingSink();
    private ModelCatalog registry;
    private MicroBatcher batcher;
    private Generation generation;

    @BeforeAll
    static void loadOrt() {
        ort = new OrtSessionFactory(OrtSettings.cpu());
    }

    @BeforeEach
    void start() {
        registry = new ModelCatalog(ModelRegistry.onnxLoader(ort), 2, meters, Clock.systemUTC());
        batcher = new MicroBatcher(256, Duration.ZERO, meters);
        generation = new Generation(registry, batcher, meters);
    }

    @AfterEach
    void stop() {
        batcher.close();
        registry.close();
    }

    private void publishModel() {
        registry.offer(TestModels.first().manifest(4), TestModels.first().onnx(), "test");
    }

    private ContinuousPublisher publisher(double rate) {
        return new ContinuousPublisher(new ContinuousSettings(rate, 100, List.of()), generation, sink, meters, clock,
                d -> clock.advance(d));
    }

    /** Runs steps as the publishing thread would, sleeping on the fake clock, until {@code until}. */
    private static void runUntil(ContinuousPublisher publisher, ManualClock clock, Instant until) {
        while (!clock.instant().isAfter(until)) {
            Duration wait = publisher.step();
            clock.advance(wait.isZero() ? Duration.ofMillis(1) : wait);
        }
    }

    private double failures(String reason) {
        return meters.get(MetricNames.GENERATOR_CONTINUOUS_FAILURES).tag("reason", reason).counter().count();
    }

    private static String text(RecordingSink.Sent sent, String header) {
        return SyntheticImageHeaders.text(sent.headers(), header);
    }

    @Test
    void atTenImagesASecondTwoSecondsGiveTwentyOneImagesKeyedStreamNWithSeedStartPlusN() {
        publishModel();
        ContinuousPublisher publisher = publisher(10);

        runUntil(publisher, clock, T0.plusSeconds(2));

        assertThat(sink.keys()).containsExactlyElementsOf(IntStream.rangeClosed(0, 20).mapToObj(n -> "stream-" + n).toList());
        RecordingSink.Sent third = sink.sent.get(3);
        SyntheticImageHeaders.assertImage(third.headers(), 4, 103, 0, "2026-01-01T00:00:00.300Z");
        try (ModelLease lease = registry.acquire().orElseThrow()) {
            CanonicalImage expected = generation.images(lease.model(), 103, 1, null).getFirst();
            assertThat(Png.decode(third.png(), ImageShape.parse(TestModels.SHAPE)))
                    .as("image n is what /v1/generate?format=png&seed=<start+n> gives").isEqualTo(expected);
        }
        assertThat(meters.get(MetricNames.GENERATOR_CONTINUOUS_IMAGES).counter().count()).isEqualTo(21);
        assertThat(meters.get(MetricNames.GENERATOR_CONTINUOUS_TARGET_RATE).gauge().value()).isEqualTo(10);
        assertThat(meters.get(MetricNames.GENERATOR_CONTINUOUS_BEHIND).gauge().value()).isZero();
    }

    @Test
    void withoutALiveModelNothingIsPublishedTheMissedImagesAreCountedAndPublishingStartsAtStreamZeroOnceOneIsLive() {
        ContinuousPublisher publisher = publisher(5);

        assertThat(publisher.step()).isEqualTo(ContinuousPublisher.RETRY);
        clock.advance(ContinuousPublisher.RETRY);
        assertThat(publisher.step()).isEqualTo(ContinuousPublisher.RETRY);
        assertThat(sink.sent).isEmpty();
        assertThat(failures("no_model")).isEqualTo(2);

        publishModel();
        clock.advance(ContinuousPublisher.RETRY);
        runUntil(publisher, clock, clock.instant().plusSeconds(1));

        assertThat(sink.keys()).as("no burst for the time without a model").containsExactly("stream-0", "stream-1", "stream-2", "stream-3",
                "stream-4", "stream-5");
    }

    @Test
    void whenItFallsBehindItCatchesUpInBatchesAndBeyondOneSecondMovesTheScheduleOnInsteadOfBursting() {
        publishModel();
        ContinuousPublisher publisher = publisher(1000);
        publisher.step();
        assertThat(sink.sent).hasSize(1);

        clock.advance(Duration.ofMillis(50));
        publisher.step();
        assertThat(sink.sent).as("the 50 images due, in one forward pass").hasSize(51);
        assertThat(meters.get(MetricNames.GENERATOR_BATCH_SIZE).summary().max()).isEqualTo(50);

        clock.advance(Duration.ofSeconds(10));
        publisher.step();
        assertThat(meters.get(MetricNames.GENERATOR_CONTINUOUS_BEHIND).gauge().value()).isGreaterThan(9.9);
        assertThat(sink.sent).as("one image, not ten thousand").hasSize(52);
        clock.advance(Duration.ofMillis(10));
        publisher.step();
        assertThat(sink.sent).hasSize(62);
        assertThat(sink.keys()).containsExactlyElementsOf(IntStream.range(0, 62).mapToObj(n -> "stream-" + n).toList());
    }

    @Test
    void imagesTheBrokerRefusesAreCountedAsSendFailures() {
        publishModel();
        sink.failWith = new TimeoutException("broker away");
        ContinuousPublisher publisher = publisher(10);

        runUntil(publisher, clock, T0.plusMillis(450));

        assertThat(failures("send_failed")).isEqualTo(5);
        assertThat(meters.get(MetricNames.GENERATOR_CONTINUOUS_IMAGES).counter().count()).isZero();
    }

    @Test
    void startedItPublishesOnItsOwnThreadUntilClosedAndThenClosesTheSink() {
        publishModel();
        ContinuousPublisher publisher = new ContinuousPublisher(new ContinuousSettings(50, 0, List.of()), generation, sink, meters,
                Clock.systemUTC(), Sleeper.system()).start();

        await().atMost(Duration.ofSeconds(20)).until(() -> sink.sent.size() >= 3);
        publisher.close();
        int published = sink.sent.size();

        assertThat(sink.closed).isTrue();
        assertThat(sink.keys().subList(0, 3)).containsExactly("stream-0", "stream-1", "stream-2");
        assertThat(sink.sent).as("nothing after close").hasSize(published);
    }

    @Test
    void forAConditionalModelTheLabelMixCyclesAndAMixNamingAMissingClassPausesPublishing() {
        byte[] onnx = ConditionalTestModel.onnx();
        registry.offer(ConditionalTestModel.manifest(onnx, 1), onnx, "test");
        ContinuousPublisher weighted = new ContinuousPublisher(new ContinuousSettings(10, 0, List.of(2, 2, 0)), generation, sink, meters,
                clock, d -> clock.advance(d));
        runUntil(weighted, clock, T0.plusMillis(550));
        assertThat(sink.sent).extracting(sent -> text(sent, GanHeaders.LABEL)).containsExactly("2", "2", "0", "2", "2", "0");

        RecordingSink other = new RecordingSink();
        ContinuousPublisher everyClass = new ContinuousPublisher(new ContinuousSettings(10, 0, List.of()), generation, other, meters,
                clock, d -> clock.advance(d));
        runUntil(everyClass, clock, clock.instant().plusMillis(450));
        assertThat(other.sent).extracting(sent -> text(sent, GanHeaders.LABEL)).containsExactly("0", "1", "2", "0", "1");

        RecordingSink none = new RecordingSink();
        ContinuousPublisher missing = new ContinuousPublisher(new ContinuousSettings(10, 0, List.of(0, 7)), generation, none, meters,
                clock, d -> clock.advance(d));
        assertThat(missing.step()).isEqualTo(ContinuousPublisher.RETRY);
        assertThat(none.sent).as("the mix names class 7 of 3: nothing is published").isEmpty();
        assertThat(failures("bad_label")).isEqualTo(1);
    }

    @Test
    void anUnconditionalModelIgnoresTheLabelMix() {
        publishModel();
        ContinuousPublisher publisher = new ContinuousPublisher(new ContinuousSettings(10, 0, List.of(4)), generation, sink, meters, clock,
                d -> clock.advance(d));

        runUntil(publisher, clock, T0.plusMillis(150));

        assertThat(sink.sent).hasSize(2).allSatisfy(sent -> assertThat(sent.headers().lastHeader(GanHeaders.LABEL)).isNull());
    }

    @Test
    void aZeroRateIsRefusedBecauseItMeansOff() {
        assertThatThrownBy(() -> publisher(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--continuous-rate 0");
    }
}
