package dev.ganpipe.common.streams;

import dev.ganpipe.common.kafka.CloudEvents;
import dev.ganpipe.common.kafka.GanHeaders;
import java.util.function.Function;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Builds dead letters as DESIGN.md describes them: the original key and bytes untouched, the original headers kept
 * (a replay keeps its label), plus {@code gan.error.reason}, {@code gan.error.detail},
 * {@code gan.source.topic/partition/offset} and CloudEvents headers of the app's rejected type. Shared by an app's
 * topology and its Streams error handlers, so every dead letter looks the same.
 */
public final class DeadLetters {

    private final String topic;
    private final CloudEvents events;
    private final String eventType;
    private final Function<byte[], String> contentTypeOf;
    private final DeadLetterLimit limit;

    /**
     * @param topic the dead-letter topic
     * @param events stamps the CloudEvents headers
     * @param eventType the CloudEvents type, which tells the apps' dead letters apart, e.g.
     *     {@link CloudEvents#TYPE_IMAGE_REJECTED}
     * @param contentTypeOf the content type of an original value (null when there is none) that carries no
     *     {@code content-type} header of its own
     * @param limit how many original bytes a dead letter may keep
     */
    public DeadLetters(String topic, CloudEvents events, String eventType, Function<byte[], String> contentTypeOf, DeadLetterLimit limit) {
        this.topic = topic;
        this.events = events;
        this.eventType = eventType;
        this.contentTypeOf = contentTypeOf;
        this.limit = limit;
    }

    /** The dead-letter topic. */
    public String topic() {
        return topic;
    }

    /** New headers for a dead letter: a copy of the original's plus the error, source and CloudEvents headers. */
    public Headers headers(Headers original, byte[] value, DeadLetterReason reason, String detail,
            String sourceTopic, int sourcePartition, long sourceOffset) {
        Headers headers = new RecordHeaders(original == null ? new Header[0] : original.toArray());
        String contentType = GanHeaders.text(headers, GanHeaders.CONTENT_TYPE).orElseGet(() -> contentTypeOf.apply(value));
        events.stamp(headers, eventType, contentType);
        GanHeaders.set(headers, GanHeaders.ERROR_REASON, reason.code());
        GanHeaders.set(headers, GanHeaders.ERROR_DETAIL, detail);
        GanHeaders.set(headers, GanHeaders.SOURCE_TOPIC, sourceTopic);
        GanHeaders.set(headers, GanHeaders.SOURCE_PARTITION, Integer.toString(sourcePartition));
        GanHeaders.set(headers, GanHeaders.SOURCE_OFFSET, Long.toString(sourceOffset));
        return headers;
    }

    /**
     * The dead letter of a record a processor rejects, to forward to the dead-letter sink: the same key and
     * timestamp, the original bytes as far as the limit allows, the dead-letter headers.
     *
     * @param source where the record was read (the processor's {@code context.recordMetadata()})
     */
    public <K> Record<K, byte[]> letter(Record<K, byte[]> record, RecordMetadata source, DeadLetterReason reason, String detail) {
        Headers headers = headers(record.headers(), record.value(), reason, detail, source.topic(), source.partition(), source.offset());
        byte[] key = record.key() instanceof byte[] bytes ? bytes : null;
        return record.withValue(keptValue(key, record.value(), headers)).withHeaders(headers);
    }

    /** A complete dead letter, for the Streams error handlers, which hand records to Streams to produce. */
    public ProducerRecord<byte[], byte[]> record(byte[] key, byte[] value, Headers original, DeadLetterReason reason, String detail,
            String sourceTopic, int sourcePartition, long sourceOffset) {
        Headers headers = headers(original, value, reason, detail, sourceTopic, sourcePartition, sourceOffset);
        return new ProducerRecord<>(topic, null, key, keptValue(key, value, headers), headers);
    }

    /**
     * The value of a dead letter with this key and these headers: the original bytes when the limit allows them, else
     * none, with a sentence added to {@code gan.error.detail} saying so (the original stays on its source topic).
     */
    public byte[] keptValue(byte[] key, byte[] value, Headers headers) {
        if (value == null || limit.fits(key, value, headers)) {
            return value;
        }
        String detail = GanHeaders.text(headers, GanHeaders.ERROR_DETAIL).orElse("");
        GanHeaders.set(headers, GanHeaders.ERROR_DETAIL, detail + " The original " + value.length + " bytes are left out of this dead "
                + "letter" + limit.whyLeftOut() + "; they stay on the source topic at the partition and offset in the "
                + GanHeaders.SOURCE_TOPIC + " headers.");
        return null;
    }
}
