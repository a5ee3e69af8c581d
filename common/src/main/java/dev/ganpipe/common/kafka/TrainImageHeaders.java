package dev.ganpipe.common.kafka;

import dev.ganpipe.common.image.ImageShape;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers of one {@code images.train} record (DESIGN.md), written by the normaliser and read by the trainer:
 * CloudEvents of type {@value CloudEvents#TYPE_IMAGE_TRAIN} whose id is the image id (the same picture sent twice is
 * the same event), content type {@value #CONTENT_TYPE}, {@code gan.label} as a class index when the image has one, and
 * {@code gan.image.shape}.
 *
 * @param imageId the image id, also the record key
 * @param label the class index; empty for unlabelled input
 * @param shape the canonical image's shape
 */
public record TrainImageHeaders(String imageId, OptionalInt label, ImageShape shape) {

    /** The value's media type: every training image is a canonical PNG. */
    public static final String CONTENT_TYPE = "image/png";

    /** The record's headers. */
    public Headers write(CloudEvents events) {
        Headers headers = new RecordHeaders();
        events.stamp(headers, imageId, CloudEvents.TYPE_IMAGE_TRAIN, CONTENT_TYPE);
        label.ifPresent(value -> GanHeaders.put(headers, GanHeaders.LABEL, Integer.toString(value)));
        GanHeaders.put(headers, GanHeaders.IMAGE_SHAPE, shape.toString());
        return headers;
    }

    /**
     * A training image's class index; empty for an unlabelled image.
     *
     * @throws IllegalArgumentException when the header is there but no number
     */
    public static OptionalLong label(Headers headers) {
        return GanHeaders.whole(headers, GanHeaders.LABEL);
    }

    /** Whether a training image carries a label at all (what {@code --conditional auto} decides on). */
    public static boolean labelled(Headers headers) {
        return headers.lastHeader(GanHeaders.LABEL) != null;
    }
}
