package dev.ganpipe.common.kafka;

import dev.ganpipe.client.RecordNames;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.common.header.Headers;

/**
 * Stamps CloudEvents 1.0 binary-mode headers ({@code ce_*} plus {@code content-type}) on every record a service
 * produces, so any CloudEvents-aware consumer can read our topics. The header names, and the type of the synthetic
 * images that outside consumers read, are the client jar's ({@link RecordNames}).
 */
public final class CloudEvents {

    public static final String SPECVERSION = RecordNames.CE_SPECVERSION;
    public static final String ID = RecordNames.CE_ID;
    public static final String SOURCE = RecordNames.CE_SOURCE;
    public static final String TYPE = RecordNames.CE_TYPE;
    public static final String TIME = RecordNames.CE_TIME;

    public static final String TYPE_IMAGE_RAW = "gan.image.raw.v1";
    public static final String TYPE_IMAGE_TRAIN = "gan.image.train.v1";
    public static final String TYPE_IMAGE_REJECTED = "gan.image.rejected.v1";
    /** A dead-lettered {@code synthetic.requests} record; its dead letters share {@code images.dlq} with rejected images. */
    public static final String TYPE_REQUEST_REJECTED = "gan.request.rejected.v1";
    public static final String TYPE_MODEL = "gan.model.generator.v1";
    public static final String TYPE_SYNTHETIC_IMAGE = RecordNames.TYPE_SYNTHETIC_IMAGE;

    private final String source;
    private final Clock clock;

    /**
     * @param source the producing service, e.g. {@code /gan/ingest}
     * @param clock time source for {@code ce_time}
     */
    public CloudEvents(String source, Clock clock) {
        this.source = source;
        this.clock = clock;
    }

    /** Sets the CloudEvents headers (replacing any earlier ones) with a fresh random event id. */
    public void stamp(Headers headers, String type, String contentType) {
        stamp(headers, UUID.randomUUID().toString(), type, contentType);
    }

    /** Sets the CloudEvents headers with the given event id (stable ids let consumers de-duplicate). */
    public void stamp(Headers headers, String id, String type, String contentType) {
        GanHeaders.set(headers, SPECVERSION, "1.0");
        GanHeaders.set(headers, ID, id);
        GanHeaders.set(headers, SOURCE, source);
        GanHeaders.set(headers, TYPE, type);
        GanHeaders.set(headers, TIME, Instant.now(clock).toString());
        GanHeaders.set(headers, GanHeaders.CONTENT_TYPE, contentType);
    }
}
