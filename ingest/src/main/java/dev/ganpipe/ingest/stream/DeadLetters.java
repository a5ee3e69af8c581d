package dev.ganpipe.ingest.stream;

import dev.ganpipe.common.kafka.CloudEvents;
import dev.ganpipe.common.kafka.GanHeaders;
import dev.ganpipe.images.normalize.ImageRejectReason;
import dev.ganpipe.images.normalize.InputImageFormat;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds {@code images.dlq} records as DESIGN.md describes them: the original key and bytes untouched, the
 * original headers kept (a replay keeps its label), plus {@code gan.error.reason}, {@code gan.error.detail},
 * {@code gan.source.topic/partition/offset} and CloudEvents headers of type {@code gan.image.rejected.v1}.
 * Shared by the topology and the Streams error handlers, so every dead letter looks the same.
 */
public final class DeadLetters {

    private final String topic;
    private final CloudEvents events;
    private final DeadLetterLimit limit;

    /**
     * Dead letters with no size limit (for the topology test driver).
     *
     * @param topic the dead-letter topic
     * @param events stamps the CloudEvents headers
     */
    public DeadLetters(String topic, CloudEvents events) {
        this(topic, events, DeadLetterLimit.unlimited());
    }

    /**
     * @param topic the dead-letter topic
     * @param events stamps the CloudEvents headers
     * @param limit the largest record the dead-letter topic accepts
     */
    public DeadLetters(String topic, CloudEvents events, DeadLetterLimit limit) {
        this.topic = topic;
        this.events = events;
        this.limit = limit;
    }

    /** The dead-letter topic. */
    public String topic() {
        return topic;
    }

    /** New headers for a dead letter: a copy of the original's plus the error and CloudEvents headers. */
    public Headers headers(Headers original, byte[] value, ImageRejectReason reason, String detail,
            String sourceTopic, int sourcePartition, long sourceOffset) {
        Headers headers = new RecordHeaders(original == null ? new Header[0] : original.toArray());
        String contentType = GanHeaders.text(headers, GanHeaders.CONTENT_TYPE)
                .or(() -> value == null ? Optional.empty() : InputImageFormat.sniff(value).map(InputImageFormat::mediaType))
                .orElse("application/octet-stream");
        events.stamp(headers, CloudEvents.TYPE_IMAGE_REJECTED, contentType);
        GanHeaders.set(headers, GanHeaders.ERROR_REASON, reason.code());
        GanHeaders.set(headers, GanHeaders.ERROR_DETAIL, detail);
        GanHeaders.set(headers, GanHeaders.SOURCE_TOPIC, sourceTopic);
        GanHeaders.set(headers, GanHeaders.SOURCE_PARTITION, Integer.toString(sourcePartition));
        GanHeaders.set(headers, GanHeaders.SOURCE_OFFSET, Long.toString(sourceOffset));
        return headers;
    }

    /** A complete dead letter for the Streams error handlers, which hand records to Streams to produce. */
    public ProducerRecord<byte[], byte[]> record(byte[] key, byte[] value, Headers original, ImageRejectReason reason, String detail,
            String sourceTopic, int sourcePartition, long sourceOffset) {
        Headers headers = headers(original, value, reason, detail, sourceTopic, sourcePartition, sourceOffset);
        return new ProducerRecord<>(topic, null, key, keptValue(key, value, headers), headers);
    }

    /**
     * The value of a dead letter with these headers: the original bytes when they fit on the dead-letter topic, else
     * none, with a sentence added to {@code gan.error.detail} saying so (the original stays on its source topic).
     */
    public byte[] keptValue(byte[] key, byte[] value, Headers headers) {
        if (value == null || limit.fits(key, value, headers)) {
            return value;
        }
        String detail = GanHeaders.text(headers, GanHeaders.ERROR_DETAIL).orElse("");
        GanHeaders.set(headers, GanHeaders.ERROR_DETAIL, detail + " The original " + value.length + " bytes are left out of this dead "
                + "letter: with them it would exceed the dead-letter topic's max.message.bytes (" + limit.maxBytes() + "); they stay on "
                + "the source topic at the partition and offset in the " + GanHeaders.SOURCE_TOPIC + " headers.");
        return null;
    }
}
