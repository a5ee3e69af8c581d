package dev.ganpipe.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ganpipe.client.SyntheticImage;
import dev.ganpipe.client.SyntheticImageDeserializer;
import dev.ganpipe.common.image.ImageShape;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;

/** Each topic's record headers are written and read by one codec, so writer and reader cannot drift apart. */
class RecordHeadersCodecTest {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};
    private static final CloudEvents EVENTS = new CloudEvents("/gan/test", Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

    @Test
    void aSyntheticImageSaysWhichModelSeedIndexClassAndShapeMadeIt() {
        Headers headers = new SyntheticImageHeaders("fashion-dcgan28", 7, 42, 3, OptionalLong.of(2), new ImageShape(28, 28, 1)).write(EVENTS, "req@5/3");

        assertThat(GanHeaders.text(headers, GanHeaders.CONTENT_TYPE)).hasValue("image/png");
        assertThat(GanHeaders.text(headers, GanHeaders.MODEL_NAME)).hasValue("fashion-dcgan28");
        // The client jar's deserializer is the one reader of these headers: what the services write, it reads.
        SyntheticImage image = new SyntheticImageDeserializer().deserialize("synthetic.images", headers, PNG);
        assertThat(image.eventId()).isEqualTo("req@5/3");
        assertThat(image.eventTime()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(image.modelVersion()).isEqualTo(7);
        assertThat(image.modelName()).hasValue("fashion-dcgan28");
        assertThat(image.seed()).isEqualTo(42);
        assertThat(image.index()).isEqualTo(3);
        assertThat(image.label()).hasValue(2);
        assertThat(image.shape()).isEqualTo(new dev.ganpipe.client.ImageShape(28, 28, 1));
        assertThat(image.png()).isEqualTo(PNG);
        Headers unconditional = new SyntheticImageHeaders("fashion-dcgan28", 7, 42, 0, OptionalLong.empty(), new ImageShape(28, 28, 1)).write(EVENTS, "s-1");
        assertThat(new SyntheticImageDeserializer().deserialize("synthetic.images", unconditional, PNG).label()).isEmpty();
        assertThat(image.labelConfidence()).as("no classifier, no confidence").isEmpty();
    }

    @Test
    void aSyntheticImageFromAModelThatShipsItsClassifierCarriesItsConfidence() {
        Headers headers = new SyntheticImageHeaders("fashion-dcgan28", 7, 42, 3, OptionalLong.of(2), new ImageShape(28, 28, 1), OptionalDouble.of(0.875))
                .write(EVENTS, "req@5/3");

        assertThat(GanHeaders.text(headers, GanHeaders.LABEL_CONFIDENCE)).hasValue("0.875");
        assertThat(new SyntheticImageDeserializer().deserialize("synthetic.images", headers, PNG).labelConfidence()).hasValue(0.875);
    }

    @Test
    void theClientRefusesARecordTheGeneratorDidNotWrite() {
        Headers training = new TrainImageHeaders("abc", OptionalInt.of(4), new ImageShape(28, 28, 1)).write(EVENTS);

        assertThatThrownBy(() -> new SyntheticImageDeserializer().deserialize("images.train", training, PNG))
                .isInstanceOf(SerializationException.class).hasMessageContaining("gan.image.train.v1");
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
    void aLabelledTrainingImageCarriesTheClassNamesInLabelOrder() {
        Headers headers = new TrainImageHeaders("abc", OptionalInt.of(1), new ImageShape(28, 28, 1), List.of("cat", "dog")).write(EVENTS);

        assertThat(GanHeaders.text(headers, GanHeaders.CLASSES)).hasValue("cat,dog");
        assertThat(TrainImageHeaders.classNames(headers)).containsExactly("cat", "dog");
        assertThat(TrainImageHeaders.classNames(new TrainImageHeaders("abc", OptionalInt.empty(), new ImageShape(28, 28, 1),
                List.of("cat", "dog")).write(EVENTS))).as("an unlabelled image names no classes").isEmpty();
        assertThatThrownBy(() -> new TrainImageHeaders("abc", OptionalInt.of(0), new ImageShape(28, 28, 1), List.of("a,b", "c")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without commas");
    }

    @Test
    void aRawImageKeepsItsLabelAsGivenAndItsMediaType() {
        Headers headers = new RawImageHeaders("image/jpeg", Optional.of("Sneaker")).write(EVENTS);

        assertThat(GanHeaders.text(headers, CloudEvents.TYPE)).hasValue(CloudEvents.TYPE_IMAGE_RAW);
        assertThat(GanHeaders.text(headers, GanHeaders.CONTENT_TYPE)).hasValue("image/jpeg");
        assertThat(RawImageHeaders.label(headers)).hasValue("Sneaker");
    }
}
