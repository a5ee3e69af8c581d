package dev.ganpipe.common.kafka;

import dev.ganpipe.common.image.ImageShape;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.apache.kafka.common.header.Headers;

/**
 * The headers of one {@code images.train} record (DESIGN.md), written by the normaliser and read by the trainer:
 * CloudEvents of type {@value CloudEvents#TYPE_IMAGE_TRAIN} whose id is the image id (the same picture sent twice is
 * the same event), content type {@value #CONTENT_TYPE}, {@code gan.label} as a class index when the image has one,
 * {@code gan.classes} (the class names in label order) beside it, and {@code gan.image.shape}.
 *
 * @param imageId the image id, also the record key
 * @param label the class index; empty for unlabelled input
 * @param shape the canonical image's shape
 * @param classNames the data's class names in label order, written beside a label; empty when not known
 */
public record TrainImageHeaders(String imageId, OptionalInt label, ImageShape shape, List<String> classNames) {

    public TrainImageHeaders {
        classNames = List.copyOf(classNames);
        for (String name : classNames) {
            if (name.isBlank() || name.contains(",")) {
                throw new IllegalArgumentException("Class names travel comma-separated in " + GanHeaders.CLASSES
                        + ", so a name must be non-blank and without commas, but one was '" + name + "'.");
            }
        }
    }

    /** Headers without class names (a producer that does not know them). */
    public TrainImageHeaders(String imageId, OptionalInt label, ImageShape shape) {
        this(imageId, label, shape, List.of());
    }

    /** The value's media type: every training image is a canonical PNG. */
    public static final String CONTENT_TYPE = PngImageHeaders.CONTENT_TYPE;

    /** The record's headers. */
    public Headers write(CloudEvents events) {
        Headers headers = PngImageHeaders.withClassAndShape(PngImageHeaders.stamped(events, imageId, CloudEvents.TYPE_IMAGE_TRAIN),
                label.isPresent() ? OptionalLong.of(label.getAsInt()) : OptionalLong.empty(), shape);
        if (label.isPresent() && !classNames.isEmpty()) {
            GanHeaders.put(headers, GanHeaders.CLASSES, String.join(",", classNames));
        }
        return headers;
    }

    /** A training image's {@code gan.classes}: the data's class names in label order; empty when the record has none. */
    public static List<String> classNames(Headers headers) {
        return GanHeaders.text(headers, GanHeaders.CLASSES)
                .map(text -> Arrays.stream(text.split(",", -1)).map(String::strip).filter(n -> !n.isEmpty()).toList())
                .orElse(List.of());
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
