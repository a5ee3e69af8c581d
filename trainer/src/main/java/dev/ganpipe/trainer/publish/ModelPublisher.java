package dev.ganpipe.trainer.publish;

import dev.ganpipe.common.image.Hashes;
import dev.ganpipe.common.kafka.CloudEvents;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.Topic;
import dev.ganpipe.common.metrics.MetricNames;
import dev.ganpipe.common.model.ModelDirectory;
import dev.ganpipe.common.model.ModelHeaders;
import dev.ganpipe.common.model.ModelManifest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes an exported generator: the next version number, the models directory (keeping the newest K) and the
 * compacted models topic with the manifest in its headers. A failed publish fails loudly to the caller, which
 * counts it and keeps training.
 */
public final class ModelPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelPublisher.class);

    private final String modelName;
    private final ModelDirectory directory;
    private final int keep;
    private final KafkaProducer<String, byte[]> producer;
    private final Topic<String, byte[]> topic;
    private final CloudEvents events;
    private final Clock clock;
    private final AtomicLong version;
    private final AtomicLong lastExportEpochSeconds = new AtomicLong();
    private final Counter published;
    private volatile ModelManifest last;

    /**
     * @param startAfterVersion the newest version already published (0 for none)
     */
    public ModelPublisher(String modelName, ModelDirectory directory, int keep, KafkaSettings kafka,
            Topic<String, byte[]> topic, long startAfterVersion, Clock clock, MeterRegistry registry) {
        this.modelName = modelName;
        this.directory = directory;
        this.keep = keep;
        this.producer = new KafkaProducer<>(kafka.producer("gan-trainer-models"), topic.keySerde().serializer(), topic.valueSerde().serializer());
        this.topic = topic;
        this.events = new CloudEvents("/gan/trainer", clock);
        this.clock = clock;
        this.version = new AtomicLong(startAfterVersion);
        this.published = Counter.builder(MetricNames.TRAINER_EXPORTS).description("Generators exported and published").register(registry);
        registry.gauge(MetricNames.TRAINER_LAST_EXPORT, lastExportEpochSeconds, AtomicLong::doubleValue);
    }

    /**
     * Publishes one exported generator as the next version.
     *
     * @param metrics losses and scores at export, stored in the manifest
     * @return the manifest of the published version
     */
    public ModelManifest publish(byte[] onnx, long step, String imageShape, int noiseDim, Map<String, Double> metrics) {
        long next = version.get() + 1;
        ModelManifest manifest = new ModelManifest(modelName, next, Hashes.sha256(onnx), step, Instant.now(clock),
                imageShape, noiseDim, metrics);
        directory.write(manifest, onnx);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic.name(), modelName, onnx);
        ModelHeaders.write(manifest, record.headers());
        events.stamp(record.headers(), modelName + "-v" + next, CloudEvents.TYPE_MODEL, ModelHeaders.ONNX_CONTENT_TYPE);
        try {
            producer.send(record).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while publishing " + modelName + " v" + next + ".", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not publish " + modelName + " v" + next + " to " + topic.name()
                    + "; it is in " + directory.root() + " and the next export will try Kafka again.", e);
        }
        version.set(next);
        directory.prune(modelName, keep);
        published.increment();
        lastExportEpochSeconds.set(manifest.createdAt().getEpochSecond());
        last = manifest;
        LOG.info("Published {} v{} (step {}, {} KiB) to {} and {}", modelName, next, step, onnx.length / 1024, topic.name(),
                directory.modelFile(modelName, next));
        return manifest;
    }

    /** The newest version published under this model name (by this or an earlier run), 0 for none. */
    public long version() {
        return version.get();
    }

    /** The last manifest this publisher published, or null. */
    public ModelManifest last() {
        return last;
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(10));
    }
}
