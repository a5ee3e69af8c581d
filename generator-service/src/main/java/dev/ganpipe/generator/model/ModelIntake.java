package dev.ganpipe.generator.model;

import dev.ganpipe.common.model.ModelManifest;
import java.util.Optional;

/**
 * Where the model sources (topic and directory watchers) hand what they read: one {@link ModelRegistry} for one model
 * name, or a {@link ModelCatalog} that keeps one registry per name.
 */
public interface ModelIntake {

    /**
     * Validates and registers a model. Never throws for a bad model: it is rejected, logged and counted.
     *
     * @param signature the trainer's signature of the manifest, if the model came with one
     * @param origin where it came from, for logs (e.g. {@code models.generator-0@17})
     */
    OfferOutcome offer(ModelManifest manifest, byte[] onnx, Optional<String> signature, String origin);

    /** Offers an unsigned model. */
    default OfferOutcome offer(ModelManifest manifest, byte[] onnx, String origin) {
        return offer(manifest, onnx, Optional.empty(), origin);
    }

    /** Counts and logs a record that could not even be read as a model (e.g. missing headers). */
    void rejectUnreadable(String origin, String reason);
}
