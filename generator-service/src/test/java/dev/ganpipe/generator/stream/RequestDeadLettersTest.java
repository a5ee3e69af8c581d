package dev.ganpipe.generator.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ganpipe.common.kafka.CloudEvents;
import dev.ganpipe.common.kafka.GanHeaders;
import dev.ganpipe.common.streams.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** A dead-lettered request keeps its bytes, unless they are so many that the dead letter could exceed the topic's limit. */
class RequestDeadLettersTest {

    private final DeadLetters letters = RequestTopology.deadLetters("images.dlq",
            new CloudEvents("/gan/generator", Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC)));
    private final byte[] key = "req-1".getBytes(StandardCharsets.UTF_8);

    @Test
    void aSmallRequestIsKeptWhole() {
        byte[] value = "{count: lots".getBytes(StandardCharsets.UTF_8);
        ProducerRecord<byte[], byte[]> letter = letters.record(key, value, new RecordHeaders(), RequestRejectReason.MALFORMED_REQUEST,
                "Not JSON.", "synthetic.requests", 0, 3);
        assertThat(letter.value()).isSameAs(value);
        assertThat(GanHeaders.text(letter.headers(), GanHeaders.ERROR_DETAIL)).hasValue("Not JSON.");
    }

    @Test
    void aHugeRequestIsLeftOutAndTheDetailSaysWhereItIs() {
        byte[] value = new byte[1_048_000];
        ProducerRecord<byte[], byte[]> letter = letters.record(key, value, new RecordHeaders(), RequestRejectReason.MALFORMED_REQUEST,
                "Too long.", "synthetic.requests", 0, 3);
        assertThat(letter.value()).isNull();
        assertThat(GanHeaders.text(letter.headers(), GanHeaders.ERROR_DETAIL)).hasValueSatisfying(detail -> assertThat(detail)
                .startsWith("Too long. The original 1048000 bytes are left out"));
        assertThat(GanHeaders.text(letter.headers(), GanHeaders.ERROR_REASON)).hasValue("malformed_request");
    }
}
