package dev.ganpipe.generator.model;

import dev.ganpipe.common.model.ModelManifest;
import dev.ganpipe.generator.onnx.OnnxGenerator;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A validated generator with its manifest, reference-counted: the registry holds one reference while it keeps the
 * model, each {@link ModelLease} one more, and the session closes when the count reaches zero.
 */
public final class LoadedModel {

    private final ModelManifest manifest;
    private final OnnxGenerator generator;
    private final Instant loadedAt;
    // Starts at 1: the registry's own reference.
    private final AtomicInteger references = new AtomicInteger(1);

    LoadedModel(ModelManifest manifest, OnnxGenerator generator, Instant loadedAt) {
        this.manifest = manifest;
        this.generator = generator;
        this.loadedAt = loadedAt;
    }

    public ModelManifest manifest() {
        return manifest;
    }

    public long version() {
        return manifest.version();
    }

    /** The ONNX generator; valid while the caller holds a lease on this model. */
    public OnnxGenerator generator() {
        return generator;
    }

    public Instant loadedAt() {
        return loadedAt;
    }

    /** Whether the session was closed (every reference released). */
    public boolean isClosed() {
        return generator.isClosed();
    }

    /** Adds a reference unless the model is already closed; false means: read the live model again. */
    boolean retain() {
        while (true) {
            int current = references.get();
            if (current == 0) {
                return false;
            }
            if (references.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /** Drops a reference; the last one closes the session. */
    void release() {
        int left = references.decrementAndGet();
        if (left == 0) {
            generator.close();
        } else if (left < 0) {
            throw new IllegalStateException("Model v" + version() + " was released more often than retained; this is a bug in the caller.");
        }
    }

    @Override
    public String toString() {
        return manifest.name() + " v" + manifest.version();
    }
}
