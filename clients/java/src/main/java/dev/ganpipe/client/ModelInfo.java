package dev.ganpipe.client;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One model the generator service knows, as {@code GET /v1/models} lists it.
 *
 * @param name the model's name (its key on the models topic)
 * @param version its version, 1 or more
 * @param step the training step it was exported at
 * @param created when the trainer exported it (ISO-8601)
 * @param imageShape the shape of its images
 * @param status {@code loaded}, {@code retired} or {@code rejected}
 * @param active whether requests are served from it now
 * @param pinned whether an operator pinned it
 * @param classes a conditional model's class names in label order; empty for an unconditional model
 * @param metrics the losses and quality scores at export (NaN where none was measured)
 * @param reason why it was rejected, when it was
 */
public record ModelInfo(String name, long version, long step, String created, ImageShape imageShape, String status, boolean active,
        boolean pinned, List<String> classes, Map<String, Double> metrics, Optional<String> reason) {

    public ModelInfo {
        classes = List.copyOf(classes);
        metrics = Map.copyOf(metrics);
    }

    /** The name of class {@code label}, or empty when the model has no such class. */
    public Optional<String> className(long label) {
        return label >= 0 && label < classes.size() ? Optional.of(classes.get((int) label)) : Optional.empty();
    }
}
