package dev.ganpipe.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ganpipe.common.image.ImageShape;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;

/** Each topic's record headers are written and read by one codec, so writer and reader cannot drift apart. */
class RecordHeadersCodecTest {

    private static final CloudEvents EVENTS = new CloudEvents("/gan/test", Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

    @Test
    void aSyntheticImageSaysWhichModelSeedIndexClassAndShapeMadeIt() {
        Headers headers = new SyntheticImageHeaders(7, 42, 3, OptionalLong.of(2), new ImageShape(28, 28, 1)).write(EVENTS, "req@5/3");

        assertThat(GanHeaders.text(headers, CloudEvents.ID)).hasValue("req@5/3");
        assertThat(GanHeaders.text(headers, CloudEvents.TYPE)).hasValue(CloudEvents.TYPE_SYNTHETIC_IMAGE);
        assertThat(GanHeaders.text(headers, GanHeaders.CONTENT_TYPE)).hasValue("image/png");
        assertThat(GanHeaders.text(headers, GanHeaders.SEED)).hasValue("42");
        assertThat(GanHeaders.text(headers, GanHeaders.INDEX)).hasValue("3");
        assertThat(GanHeaders.text(headers, GanHeaders.IMAGE_SHAPE)).hasValue("28x28x1");
        assertThat(SyntheticImageHeaders.label(headers)).hasValue(2);
        assertThat(SyntheticImageHeaders.modelVersion(headers)).hasValue(7);
        Headers unconditional = new SyntheticImageHeaders(7, 42, 0, OptionalLong.empty(), new ImageShape(28, 28, 1)).write(EVENTS, "s-1");
        assertThat(SyntheticImageHeaders.label(unconditional)).isEmpty();
    }

    @Test
    void aTrainingImageIsTheEventOfItsImageIdWithItsClassAndShape() {
        Headers headers = new TrainImageHeaders("abc", OptionalInt.of(4), new ImageShape(64, 64, 3)).write(EVENTS);

        assertThat(GanHeaders.text(headers, CloudEvents.ID)).hasValue("abc");
        assertThat(GanHeaders.text(headers, CloudEvents.TYPE)).hasValue(CloudEvents.TYPE_IMAGE_TRAIN);
        assertThat(GanHeaders.text(headers, GanHeaders.IMAGE_SHAPE)).hasValue("64x64x3");
        assertThat(TrainImageHeaders.label(headers)).hasValue(4);
        assertThat(TrainImageHeaders.labelled(headers)).isTrue();
        assertThat(TrainImageHeaders.labelled(new TrainImageHeaders("abc", OptionalInt.empty(), new ImageShape(28, 28, 1)).write(EVENTS))).isFalse();
    }

    @Test
    void aRawImageKeepsItsLabelAsGivenAndItsMediaType() {
        Headers headers = new RawImageHeaders("image/jpeg", Optional.of("Sneaker")).write(EVENTS);

        assertThat(GanHeaders.text(headers, CloudEvents.TYPE)).hasValue(CloudEvents.TYPE_IMAGE_RAW);
        assertThat(GanHeaders.text(headers, GanHeaders.CONTENT_TYPE)).hasValue("image/jpeg");
        assertThat(RawImageHeaders.label(headers)).hasValue("Sneaker");
    }
}
