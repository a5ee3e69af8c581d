package dev.ganpipe.generator.stream;

import dev.ganpipe.common.kafka.CloudEvents;
import dev.ganpipe.common.kafka.GanHeaders;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Dead letters for {@code synthetic.requests}, on the pipeline's one dead-letter topic ({@code images.dlq}) and in
 * its format (DESIGN.md): the original key and bytes untouched, the original headers kept, plus
 * {@code gan.error.reason}, {@code gan.error.detail}, {@code gan.source.topic/partition/offset} and CloudEvents
 * headers of type {@value #TYPE_REQUEST_REJECTED}, which tells them apart from rejected images. Shared by the
 * topology and the Streams error handler, so every dead letter looks the same.
 */
final class RequestDeadLetters {

    /** The CloudEvents type of a dead-lettered request. */
    static final String TYPE_REQUEST_REJECTED = "gan.request.rejected.v1";
    private static final String JSON = "application/json";

    private final String topic;
    private final CloudEvents events;

    RequestDeadLetters(String topic, CloudEvents events) {
        this.topic = topic;
        this.events = events;
    }

    /** New headers for a dead letter: a copy of the original's plus the error, source and CloudEvents headers. */
    Headers headers(Headers original, RejectReason reason, String detail, String sourceTopic, int sourcePartition, long sourceOffset) {
        Headers headers = new RecordHeaders(original == null ? new Header[0] : original.toArray());
        String contentType = GanHeaders.text(headers, GanHeaders.CONTENT_TYPE).orElse(JSON);
        events.stamp(headers, TYPE_REQUEST_REJECTED, contentType);
        GanHeaders.set(headers, GanHeaders.ERROR_REASON, reason.code());
        GanHeaders.set(headers, GanHeaders.ERROR_DETAIL, detail);
        GanHeaders.set(headers, GanHeaders.SOURCE_TOPIC, sourceTopic);
        GanHeaders.set(headers, GanHeaders.SOURCE_PARTITION, Integer.toString(sourcePartition));
        GanHeaders.set(headers, GanHeaders.SOURCE_OFFSET, Long.toString(sourceOffset));
        return headers;
    }

    /** A complete dead letter, for the Streams error handler, which hands records to Streams to produce. */
    ProducerRecord<byte[], byte[]> record(byte[] key, byte[] value, Headers original, RejectReason reason, String detail,
            String sourceTopic, int sourcePartition, long sourceOffset) {
        return new ProducerRecord<>(topic, null, key, value, headers(original, reason, detail, sourceTopic, sourcePartition, sourceOffset));
    }
}
