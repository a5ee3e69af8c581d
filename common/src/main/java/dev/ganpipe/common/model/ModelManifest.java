package dev.ganpipe.common.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What is known about one published generator.
 *
 * @param name model name, also the models topic key (e.g. {@code fashion-dcgan28})
 * @param version monotonic version, starting at 1
 * @param sha256 hex SHA-256 of the ONNX bytes
 * @param step training step the generator was exported at
 * @param createdAt export time
 * @param imageShape {@code WxHxC} of the output images
 * @param noiseDim length of the {@code z} input
 * @param metrics losses and quality scores at export (JSON-friendly numbers)
 */
public record ModelManifest(
        String name,
        long version,
        String sha256,
        long step,
        Instant createdAt,
        String imageShape,
        int noiseDim,
        Map<String, Double> metrics) {

    public ModelManifest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(imageShape, "imageShape");
        if (version < 1) {
            throw new IllegalArgumentException("Model versions start at 1, but got " + version + ".");
        }
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }
}
