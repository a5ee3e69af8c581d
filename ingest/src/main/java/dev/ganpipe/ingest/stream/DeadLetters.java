package dev.ganpipe.ingest.stream;

import dev.ganpipe.common.kafka.CloudEvents;
import dev.ganpipe.common.kafka.GanHeaders;
import dev.ganpipe.ingest.normalize.ImageFormat;
import dev.ganpipe.ingest.normalize.RejectReason;
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

    /**
     * @param topic the dead-letter topic
     * @param events stamps the CloudEvents headers
     */
    public DeadLetters(String topic, CloudEvents events) {
        this.topic = topic;
        this.events = events;
    }

    /** The dead-letter topic. */
    public String topic() {
        return topic;
    }

    /** New headers for a dead letter: a copy of the original's plus the error and CloudEvents headers. */
    public Headers headers(Headers original, byte[] value, RejectReason reason, String detail,
            String sourceTopic, int sourcePartition, long sourceOffset) {
        Headers headers = new RecordHeaders(original == null ? new Header[0] : original.toArray());
        String contentType = GanHeaders.text(headers, GanHeaders.CONTENT_TYPE)
                .or(() -> value == null ? Optional.empty() : ImageFormat.sniff(value).map(ImageFormat::mediaType))
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
    public ProducerRecord<byte[], byte[]> record(byte[] key, byte[] value, Headers original, RejectReason reason, String detail,
            String sourceTopic, int sourcePartition, long sourceOffset) {
        return new ProducerRecord<>(topic, null, key, value,
                headers(original, value, reason, detail, sourceTopic, sourcePartition, sourceOffset));
    }
}
