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
    /**
     * The most original bytes a dead letter keeps. A request may have {@link SyntheticRequest#MAX_BYTES} at most, so
     * a larger one holds nothing worth keeping whole, and one near the topic's {@code max.message.bytes} would make a
     * dead letter the broker refuses, which under exactly-once fails the transaction and stops the stream for good.
     */
    static final int MAX_KEPT_BYTES = 64 * 1024;
    private static final String JSON = "application/json";

    private final String topic;
    private final CloudEvents events;

    RequestDeadLetters(String topic, CloudEvents events) {
        this.topic = topic;
        this.events = events;
    }

    /** New headers for a dead letter: a copy of the original's plus the error, source and CloudEvents headers. */
    Headers headers(Headers original, RequestRejectReason reason, String detail, String sourceTopic, int sourcePartition, long sourceOffset) {
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
    ProducerRecord<byte[], byte[]> record(byte[] key, byte[] value, Headers original, RequestRejectReason reason, String detail,
            String sourceTopic, int sourcePartition, long sourceOffset) {
        Headers headers = headers(original, reason, detail, sourceTopic, sourcePartition, sourceOffset);
        return new ProducerRecord<>(topic, null, key, keptValue(value, headers), headers);
    }

    /**
     * The value of a dead letter with these headers: the original bytes up to {@link #MAX_KEPT_BYTES}, else none, with
     * a sentence added to {@code gan.error.detail} saying so (the original stays on its source topic).
     */
    byte[] keptValue(byte[] value, Headers headers) {
        if (value == null || value.length <= MAX_KEPT_BYTES) {
            return value;
        }
        String detail = GanHeaders.text(headers, GanHeaders.ERROR_DETAIL).orElse("");
        GanHeaders.set(headers, GanHeaders.ERROR_DETAIL, detail + " The original " + value.length + " bytes are left out of this dead "
                + "letter (more than " + MAX_KEPT_BYTES + "); they stay on the source topic at the partition and offset in the "
                + GanHeaders.SOURCE_TOPIC + " headers.");
        return null;
    }
}
