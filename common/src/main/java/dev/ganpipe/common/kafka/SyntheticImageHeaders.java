package dev.ganpipe.common.kafka;

import dev.ganpipe.common.image.ImageShape;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.apache.kafka.common.header.Headers;

/**
 * The headers of one {@code synthetic.images} record (DESIGN.md), written here only, whichever mode made the image, and
 * read only by the client jar's {@code dev.ganpipe.client.SyntheticImageDeserializer} (with the names both take from
 * {@code dev.ganpipe.client.RecordNames}): CloudEvents of type {@value CloudEvents#TYPE_SYNTHETIC_IMAGE} with content type {@value #CONTENT_TYPE},
 * {@code gan.model.name}, {@code gan.model.version}, {@code gan.seed}, {@code gan.index}, {@code gan.label} for a conditional model,
 * {@code gan.label.confidence} from a model that ships its classifier, and {@code gan.image.shape}.
 *
 * @param modelName the name of the model that made the image
 * @param modelVersion the version of the model that made the image
 * @param seed the seed of the image's noise
 * @param index the image's place in its request's answer (0 in continuous mode)
 * @param label the class the image was made for; empty for an unconditional model
 * @param shape the image's shape
 * @param confidence the shipped classifier's probability of the label; empty when the model ships no classifier
 */
public record SyntheticImageHeaders(String modelName, long modelVersion, long seed, int index, OptionalLong label, ImageShape shape,
        OptionalDouble confidence) {

    public SyntheticImageHeaders {
        Objects.requireNonNull(modelName, "modelName");
    }

    /** Headers of an image without a confidence. */
    public SyntheticImageHeaders(String modelName, long modelVersion, long seed, int index, OptionalLong label, ImageShape shape) {
        this(modelName, modelVersion, seed, index, label, shape, OptionalDouble.empty());
    }

    /** The value's media type: every synthetic image is a PNG. */
    public static final String CONTENT_TYPE = PngImageHeaders.CONTENT_TYPE;

    /**
     * The record's headers.
     *
     * @param eventId a stable CloudEvents id, so a consumer can drop an image it sees twice
     */
    public Headers write(CloudEvents events, String eventId) {
        Headers headers = PngImageHeaders.stamped(events, eventId, CloudEvents.TYPE_SYNTHETIC_IMAGE);
        GanHeaders.put(headers, GanHeaders.MODEL_NAME, modelName);
        GanHeaders.put(headers, GanHeaders.MODEL_VERSION, Long.toString(modelVersion));
        GanHeaders.put(headers, GanHeaders.SEED, Long.toString(seed));
        GanHeaders.put(headers, GanHeaders.INDEX, Integer.toString(index));
        if (confidence.isPresent()) {
            GanHeaders.put(headers, GanHeaders.LABEL_CONFIDENCE, Float.toString((float) confidence.getAsDouble()));
        }
        return PngImageHeaders.withClassAndShape(headers, label, shape);
    }
}
