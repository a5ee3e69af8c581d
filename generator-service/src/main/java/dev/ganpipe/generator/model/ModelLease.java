package dev.ganpipe.generator.model;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A reference to the model that was live when it was acquired; the model's session stays open until every lease
 * on it is closed, however many swaps happen meanwhile. Close it in try-with-resources.
 */
public final class ModelLease implements AutoCloseable {

    private final LoadedModel model;
    private final AtomicBoolean released = new AtomicBoolean();

    ModelLease(LoadedModel model) {
        this.model = model;
    }

    /** The leased model. */
    public LoadedModel model() {
        return model;
    }

    /** The leased model's version. */
    public long version() {
        return model.version();
    }

    /** Releases the reference; safe to call twice. */
    @Override
    public void close() {
        if (released.compareAndSet(false, true)) {
            model.release();
        }
    }
}
