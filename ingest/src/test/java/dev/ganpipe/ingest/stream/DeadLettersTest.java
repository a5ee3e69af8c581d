package dev.ganpipe.ingest.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ganpipe.common.kafka.CloudEvents;
import dev.ganpipe.common.kafka.GanHeaders;
import dev.ganpipe.common.streams.DeadLetterLimit;
import dev.ganpipe.common.streams.DeadLetters;
import dev.ganpipe.images.normalize.ImageRejectReason;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** Dead letters keep the original bytes unless that would make them larger than the dead-letter topic accepts. */
class DeadLettersTest {

    private static final CloudEvents EVENTS = new CloudEvents("/gan/ingest", Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    private static final byte[] KEY = "upload-1".getBytes(StandardCharsets.UTF_8);

    @Test
    void aDeadLetterThatFitsKeepsTheOriginalBytes() {
        DeadLetters letters = NormalizerTopology.deadLetters("images.dlq", EVENTS, DeadLetterLimit.kafkaDefault());
        byte[] original = new byte[900_000];
        ProducerRecord<byte[], byte[]> letter = letters.record(KEY, original, new RecordHeaders(), ImageRejectReason.UNDECODABLE,
                "The bytes are not an image.", "images.raw", 0, 7);
        assertThat(letter.value()).isSameAs(original);
        assertThat(GanHeaders.text(letter.headers(), GanHeaders.ERROR_DETAIL)).hasValue("The bytes are not an image.");
    }

    @Test
    void anOriginalJustUnderTheTopicLimitIsLeftOutAndTheDetailSaysWhereItIs() {
        DeadLetters letters = NormalizerTopology.deadLetters("images.dlq", EVENTS, DeadLetterLimit.kafkaDefault());
        byte[] original = new byte[DeadLetterLimit.KAFKA_DEFAULT - 400];
        ProducerRecord<byte[], byte[]> letter = letters.record(KEY, original, new RecordHeaders(), ImageRejectReason.UNDECODABLE,
                "The bytes are not an image.", "images.raw", 0, 7);
        assertThat(letter.value()).isNull();
        assertThat(letter.key()).isEqualTo(KEY);
        assertThat(GanHeaders.text(letter.headers(), GanHeaders.ERROR_REASON)).hasValue("undecodable");
        assertThat(GanHeaders.text(letter.headers(), GanHeaders.ERROR_DETAIL)).hasValueSatisfying(detail -> assertThat(detail)
                .startsWith("The bytes are not an image. The original " + original.length + " bytes are left out")
                .contains("max.message.bytes (" + DeadLetterLimit.KAFKA_DEFAULT + ")"));
        assertThat(GanHeaders.text(letter.headers(), GanHeaders.SOURCE_OFFSET)).hasValue("7");
    }

    @Test
    void withoutALimitEvenAHugeOriginalIsKept() {
        DeadLetters letters = NormalizerTopology.deadLetters("images.dlq", EVENTS, DeadLetterLimit.unlimited());
        byte[] original = new byte[DeadLetterLimit.KAFKA_DEFAULT * 2];
        assertThat(letters.record(KEY, original, new RecordHeaders(), ImageRejectReason.TOO_LARGE, "Too large.", "images.raw", 0, 1).value())
                .isSameAs(original);
    }
}
