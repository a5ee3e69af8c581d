package dev.ganpipe.generator.source;

import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.model.ModelDirectory;
import dev.ganpipe.generator.model.ModelRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The model sources a service runs: the models topic, the models directory, or both; closes them together. */
public final class ModelSources implements AutoCloseable {

    /** {@code gan_generator_model_source_errors_total{source="topic|directory"}}: read failures, each retried. */
    public static final String SOURCE_ERRORS = "gan.generator.model.source.errors";

    private final List<AutoCloseable> watchers;

    private ModelSources(List<AutoCloseable> watchers) {
        this.watchers = List.copyOf(watchers);
    }

    /**
     * Starts the configured sources; each offers what it finds to {@code registry}.
     *
     * @param topic the models topic to read from the start, or empty to not use Kafka
     * @param directory the models directory to scan, or empty
     * @param keepVersions the registry's kept versions, so sources skip what would be unloaded at once
     */
    public static ModelSources start(Optional<String> topic, KafkaSettings kafka, Optional<Path> directory, Duration scanInterval,
            ModelRegistry registry, int keepVersions, MeterRegistry meters) {
        List<AutoCloseable> started = new ArrayList<>();
        try {
            if (directory.isPresent()) {
                started.add(DirectoryModelWatcher.start(new ModelDirectory(directory.get()), scanInterval, registry, keepVersions, meters));
            }
            if (topic.isPresent()) {
                started.add(TopicModelWatcher.start(kafka, topic.get(), registry, keepVersions, meters));
            }
        } catch (RuntimeException e) {
            new ModelSources(started).closeAfter(e);
            throw e;
        }
        return new ModelSources(started);
    }

    /** Stops every source; safe to call twice. */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (AutoCloseable watcher : watchers) {
            try {
                watcher.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("Stopping a model source failed.", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void closeAfter(RuntimeException primary) {
        try {
            close();
        } catch (RuntimeException e) {
            primary.addSuppressed(e);
        }
    }
}
