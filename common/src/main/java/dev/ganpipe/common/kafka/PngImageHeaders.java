package dev.ganpipe.common.kafka;

import dev.ganpipe.client.RecordNames;
import dev.ganpipe.common.image.ImageShape;
import java.util.OptionalLong;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * What every record of a canonical PNG says about its image, on {@code images.train} and {@code synthetic.images}
 * alike: CloudEvents with content type {@value #CONTENT_TYPE}, the class index in {@code gan.label} when the image has
 * one, and {@code gan.image.shape}. The two topics' codecs add their own headers between.
 */
final class PngImageHeaders {

    static final String CONTENT_TYPE = RecordNames.PNG;

    private PngImageHeaders() {
    }

    /** New headers with the CloudEvents ones stamped. */
    static Headers stamped(CloudEvents events, String eventId, String eventType) {
        Headers headers = new RecordHeaders();
        events.stamp(headers, eventId, eventType, CONTENT_TYPE);
        return headers;
    }

    /** Adds the class index, when there is one, and the shape. */
    static Headers withClassAndShape(Headers headers, OptionalLong label, ImageShape shape) {
        label.ifPresent(value -> GanHeaders.put(headers, GanHeaders.LABEL, Long.toString(value)));
        GanHeaders.put(headers, GanHeaders.IMAGE_SHAPE, shape.toString());
        return headers;
    }

    /** The class index of the image; empty for an unlabelled one. */
    static OptionalLong label(Headers headers) {
        return GanHeaders.whole(headers, GanHeaders.LABEL);
    }
}
