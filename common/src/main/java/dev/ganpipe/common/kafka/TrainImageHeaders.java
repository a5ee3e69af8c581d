package dev.ganpipe.common.kafka;

import dev.ganpipe.common.image.ImageShape;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.apache.kafka.common.header.Headers;

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
    public static final String CONTENT_TYPE = PngImageHeaders.CONTENT_TYPE;

    /** The record's headers. */
    public Headers write(CloudEvents events) {
        return PngImageHeaders.withClassAndShape(PngImageHeaders.stamped(events, imageId, CloudEvents.TYPE_IMAGE_TRAIN),
                label.isPresent() ? OptionalLong.of(label.getAsInt()) : OptionalLong.empty(), shape);
    }

    /**
     * A training image's class index; empty for an unlabelled image.
     *
     * @throws IllegalArgumentException when the header is there but no number
     */
    public static OptionalLong label(Headers headers) {
        return PngImageHeaders.label(headers);
    }

    /** Whether a training image carries a label at all (what {@code --conditional auto} decides on). */
    public static boolean labelled(Headers headers) {
        return headers.lastHeader(GanHeaders.LABEL) != null;
    }
}
