package dev.ganpipe.generator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * One row of {@code GET /v1/models}.
 *
 * @param name model name (the models topic key)
 * @param version model version
 * @param step training step at export
 * @param created export time, ISO-8601
 * @param metrics losses and quality scores at export
 * @param sha256 hex SHA-256 of the ONNX bytes
 * @param imageShape {@code WxHxC}
 * @param status {@code loaded} (servable), {@code retired} (unloaded to keep only the newest versions) or
 *     {@code rejected}
 * @param active whether requests are served from it now
 * @param pinned whether an operator pinned it
 * @param loadedAt when this service loaded it, ISO-8601; absent unless loaded
 * @param reason why it was rejected; absent otherwise
 * @param classes a loaded conditional model's class names in label order; absent otherwise
 * @param labelConfidence true when a loaded model ships its classifier, so its images carry their confidence and
 *     {@code min_confidence} works; absent otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelInfo(
        String name,
        long version,
        long step,
        String created,
        Map<String, Double> metrics,
        String sha256,
        String imageShape,
        String status,
        boolean active,
        boolean pinned,
        String loadedAt,
        String reason,
        List<String> classes,
        Boolean labelConfidence) {
}
