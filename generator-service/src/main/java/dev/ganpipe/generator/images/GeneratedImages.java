package dev.ganpipe.generator.images;

import dev.ganpipe.common.image.CanonicalImage;
import dev.ganpipe.common.image.PngEncoder;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The images of one request, with where each came from and how sure the model's shipped classifier is of it.
 *
 * @param images the images, in answer order
 * @param indices image {@code i}'s row in its seed's noise ({@code gan.index}): {@code i} itself, unless
 *     {@code min_confidence} skipped rows
 * @param labels image {@code i}'s label; null for an unconditional model
 * @param confidences image {@code i}'s classifier probability for its label; null when the model ships no classifier
 */
public record GeneratedImages(List<CanonicalImage> images, int[] indices, long[] labels, float[] confidences) {

    public GeneratedImages {
        images = List.copyOf(images);
        if (indices.length != images.size() || (labels != null && labels.length != images.size())
                || (confidences != null && confidences.length != images.size())) {
            throw new IllegalArgumentException("Every image needs one index, label and confidence; got " + images.size() + " images, "
                    + indices.length + " indices.");
        }
    }

    /**
     * The encoder of every PNG the service sends: the HTTP API's {@code png}, {@code grid} and {@code zip}, the request
     * stream's images and continuous mode's. One choice for all, so the same seed gives the same bytes on every path
     * ({@code GeneratorKafkaIntegrationTest} compares them). {@link PngEncoder#fast()}, since every image is encoded
     * anew. The caller closes it.
     */
    public static PngEncoder pngEncoder() {
        return PngEncoder.fast();
    }

    /** How many images there are. */
    public int count() {
        return images.size();
    }

    /** Image {@code i}'s label, empty for an unconditional model. */
    public OptionalLong label(int i) {
        return labels == null ? OptionalLong.empty() : OptionalLong.of(labels[i]);
    }

    /** Image {@code i}'s confidence for its label, empty when the model ships no classifier. */
    public OptionalDouble confidence(int i) {
        return confidences == null ? OptionalDouble.empty() : OptionalDouble.of(confidences[i]);
    }
}
