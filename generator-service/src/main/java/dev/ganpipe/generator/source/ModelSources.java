package dev.ganpipe.generator.source;

import dev.ganpipe.common.StartedParts;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.model.ModelDirectory;
import dev.ganpipe.generator.model.ModelIntake;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The model sources a service runs: the models topic, the models directory, or both; closes them together. */
public final class ModelSources implements AutoCloseable {

    /** {@code gan_generator_model_source_errors_total{source="topic|directory"}}: read failures, each retried. */
    public static final String SOURCE_ERRORS = "gan.generator.model.source.errors";

    private final StartedParts watchers;

    private ModelSources(StartedParts watchers) {
        this.watchers = watchers;
    }

    /**
     * Starts the configured sources; each offers what it finds to {@code registry}.
     *
     * @param topic the models topic to read from the start, or empty to not use Kafka
     * @param directory the models directory to scan, or empty
     * @param keepVersions the registry's kept versions, so sources skip what would be unloaded at once
     */
    public static ModelSources start(Optional<String> topic, KafkaSettings kafka, Optional<Path> directory, Duration scanInterval,
            ModelIntake registry, int keepVersions, MeterRegistry meters) {
        StartedParts started = new StartedParts();
        try {
            if (directory.isPresent()) {
                started.push(DirectoryModelWatcher.start(new ModelDirectory(directory.get()), scanInterval, registry, keepVersions, meters));
            }
            if (topic.isPresent()) {
                started.push(TopicModelWatcher.start(kafka, topic.get(), registry, keepVersions, meters));
            }
        } catch (RuntimeException e) {
            started.closeAfterFailedStart(e);
            throw e;
        }
        return new ModelSources(started);
    }

    /** Stops every source; safe to call twice. */
    @Override
    public void close() {
        watchers.closeOnce("Stopping a model source failed; see the suppressed exceptions.");
    }
}
