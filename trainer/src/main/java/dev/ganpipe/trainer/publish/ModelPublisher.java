package dev.ganpipe.trainer.publish;

import dev.ganpipe.common.image.Hashes;
import dev.ganpipe.common.kafka.CloudEvents;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.Topic;
import dev.ganpipe.common.metrics.MetricNames;
import dev.ganpipe.common.model.ModelDirectory;
import dev.ganpipe.common.model.ModelHeaders;
import dev.ganpipe.common.model.ModelManifest;
import dev.ganpipe.common.model.ModelSignature;
import java.security.PrivateKey;
import java.util.Optional;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes an exported generator: the next version number, the models directory (keeping the newest K) and the
 * compacted models topic with the manifest in its headers. A failed publish fails loudly to the caller, which
 * counts it and keeps training.
 */
public final class ModelPublisher implements ModelSink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelPublisher.class);

    private final String modelName;
    private final ModelDirectory directory;
    private final int keep;
    private final Producer<String, byte[]> producer;
    private final KafkaClientMetrics producerMetrics;
    private final Topic<String, byte[]> topic;
    private final CloudEvents events;
    private final Clock clock;
    private final AtomicLong version;
    private final AtomicLong lastExportEpochSeconds = new AtomicLong();
    private final Counter published;
    private final Optional<PrivateKey> signingKey;
    private volatile ModelManifest last;

    /**
     * A publisher with its own producer for {@code topic} (closed with it).
     *
     * @param startAfterVersion the newest version already published (0 for none)
     */
    public static ModelPublisher toKafka(String modelName, ModelDirectory directory, int keep, KafkaSettings kafka,
            Topic<String, byte[]> topic, long startAfterVersion, Optional<PrivateKey> signingKey, Clock clock, MeterRegistry registry) {
        Producer<String, byte[]> producer = new KafkaProducer<>(kafka.producer(kafka.clientId("gan-trainer-models")), topic.keySerde().serializer(),
                topic.valueSerde().serializer());
        return new ModelPublisher(modelName, directory, keep, producer, topic, startAfterVersion, signingKey, clock, registry);
    }

    /**
     * @param producer sends to {@code topic}; this publisher closes it
     * @param startAfterVersion the newest version already published (0 for none)
     * @param signingKey signs each manifest (ModelSignature); without it models go out unsigned
     */
    public ModelPublisher(String modelName, ModelDirectory directory, int keep, Producer<String, byte[]> producer,
            Topic<String, byte[]> topic, long startAfterVersion, Optional<PrivateKey> signingKey, Clock clock, MeterRegistry registry) {
        this.modelName = modelName;
        this.directory = directory;
        this.keep = keep;
        this.producer = producer;
        // The producer's kafka_producer_* metrics, as ingest and the generator expose theirs.
        this.producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(registry);
        this.topic = topic;
        this.events = new CloudEvents("/gan/trainer", clock);
        this.clock = clock;
        this.version = new AtomicLong(startAfterVersion);
        this.signingKey = signingKey;
        if (signingKey.isEmpty()) {
            LOG.warn("Models are published unsigned (no --model-signing-key): generators refuse them unless started with "
                    + "--allow-unsigned-models, and cannot tell them from a model anyone with write access to {} published.", topic.name());
        }
        this.published = Counter.builder(MetricNames.TRAINER_EXPORTS).description("Generators exported and published").register(registry);
        Gauge.builder(MetricNames.TRAINER_LAST_EXPORT, lastExportEpochSeconds, AtomicLong::doubleValue)
                .description("When the last generator was exported and published (Unix time; 0 before the first)").register(registry);
    }

    @Override
    public ModelManifest publish(byte[] onnx, long step, String imageShape, int noiseDim, Map<String, Double> metrics) {
        long next = version.get() + 1;
        ModelManifest manifest = new ModelManifest(modelName, next, Hashes.sha256(onnx), step, Instant.now(clock),
                imageShape, noiseDim, metrics);
        Optional<String> signature = signingKey.map(key -> ModelSignature.sign(manifest, key));
        directory.write(manifest, onnx, signature);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic.name(), modelName, onnx);
        ModelHeaders.write(manifest, record.headers());
        signature.ifPresent(s -> ModelHeaders.writeSignature(s, record.headers()));
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
        LOG.info("Published {} v{} (step {}, {} KiB, {}) to {} and {}", modelName, next, step, onnx.length / 1024,
                signature.isPresent() ? "signed" : "unsigned", topic.name(), directory.modelFile(modelName, next));
        return manifest;
    }

    @Override
    public long version() {
        return version.get();
    }

    @Override
    public ModelManifest last() {
        return last;
    }

    @Override
    public void close() {
        producerMetrics.close();
        producer.close(java.time.Duration.ofSeconds(10));
    }
}
