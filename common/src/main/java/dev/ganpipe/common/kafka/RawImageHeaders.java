package dev.ganpipe.common.kafka;

import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers of one {@code images.raw} record (DESIGN.md), as the pipeline writes and reads them: CloudEvents of type
 * {@value CloudEvents#TYPE_IMAGE_RAW} with the image's media type as content type, and {@code gan.label} when the image
 * has one (a class index or a class name of {@code --classes}, resolved by the normaliser). Producers outside the
 * pipeline need only {@code content-type} and {@code gan.label}.
 *
 * @param contentType the image's media type, e.g. {@code image/png}
 * @param label the image's label as given; empty for unlabelled input
 */
public record RawImageHeaders(String contentType, Optional<String> label) {

    /** The record's headers, with a fresh CloudEvents id. */
    public Headers write(CloudEvents events) {
        Headers headers = new RecordHeaders();
        events.stamp(headers, CloudEvents.TYPE_IMAGE_RAW, contentType);
        label.ifPresent(value -> GanHeaders.put(headers, GanHeaders.LABEL, value));
        return headers;
    }

    /** The label a raw image was sent with, as given; empty for unlabelled input. */
    public static Optional<String> label(Headers headers) {
        return GanHeaders.text(headers, GanHeaders.LABEL);
    }
}
