package dev.ganpipe.generator.source;

import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.model.ModelHeaders;
import dev.ganpipe.common.model.ModelManifest;
import dev.ganpipe.generator.model.ModelIntake;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the compacted models topic from the beginning on every start (no consumer group: all partitions assigned
 * by hand), then keeps polling, and offers each model record to the registry. Errors never end the thread: a
 * broker outage is retried with a clear log line, until {@link #close}.
 */
public final class TopicModelWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicModelWatcher.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RETRY = Duration.ofSeconds(2);
    // Polls stay silent while the broker is away, so reachability is probed now and then to log an outage clearly.
    private static final Duration PROBE_EVERY = Duration.ofSeconds(15);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaClientMetrics consumerMetrics;
    private final String topic;
    private final ModelIntake registry;
    private final int keepVersions;
    private final Counter errors;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;
    private final String bootstrapServers;
    private volatile boolean running = true;
    // Only the watcher thread touches these.
    private long nextProbe;
    private boolean unreachable;

    private TopicModelWatcher(KafkaSettings kafka, String topic, ModelIntake registry, int keepVersions, MeterRegistry meters) {
        this.consumer = new KafkaConsumer<>(kafka.groupless(kafka.clientId("gan-generator-models")),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.consumerMetrics = new KafkaClientMetrics(consumer);
        consumerMetrics.bindTo(meters);
        this.topic = topic;
        this.bootstrapServers = kafka.bootstrapServers();
        this.registry = registry;
        this.keepVersions = keepVersions;
        this.errors = Counter.builder(ModelSources.SOURCE_ERRORS).tag("source", "topic")
                .description("Failures reading models from a source (retried)").register(meters);
        this.thread = Thread.ofPlatform().name("generator-models-topic").daemon(true).unstarted(this::run);
    }

    /**
     * Starts watching {@code topic}.
     *
     * @param keepVersions how many of the newest records per model name a batch of records is thinned to (older
     *     ones would be unloaded at once)
     */
    public static TopicModelWatcher start(KafkaSettings kafka, String topic, ModelIntake registry, int keepVersions, MeterRegistry meters) {
        TopicModelWatcher watcher = new TopicModelWatcher(kafka, topic, registry, keepVersions, meters);
        watcher.thread.start();
        return watcher;
    }

    /** Stops polling and closes the consumer; safe to call twice. */
    @Override
    public void close() {
        running = false;
        stop.countDown();
        consumer.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("The models-topic watcher did not stop within 30 s; it is a daemon thread and ends with the JVM.");
        }
    }

    private void run() {
        boolean assigned = false;
        boolean warnedMissing = false;
        nextProbe = System.nanoTime() + PROBE_EVERY.toNanos();
        try {
            while (running) {
                try {
                    if (!assigned) {
                        List<PartitionInfo> partitions = consumer.partitionsFor(topic, METADATA_TIMEOUT);
                        if (partitions == null || partitions.isEmpty()) {
                            if (!warnedMissing) {
                                LOG.warn("The models topic '{}' does not exist yet; waiting for it (the trainer or 'gan broker' creates it).", topic);
                                warnedMissing = true;
                            }
                            pause();
                            continue;
                        }
                        List<TopicPartition> all = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
                        consumer.assign(all);
                        consumer.seekToBeginning(all);
                        assigned = true;
                        unreachable = false;
                        LOG.info("Reading models from topic '{}' ({} partition(s)) from the beginning.", topic, all.size());
                    }
                    ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                    offer(records);
                    probe();
                } catch (WakeupException e) {
                    if (running) {
                        throw e;
                    }
                } catch (KafkaException e) {
                    errors.increment();
                    // Once per outage, not once per retry: the retries are counted in the source-errors metric.
                    if (!unreachable) {
                        unreachable = true;
                        LOG.warn("Reading models from topic '{}' failed ({}); the service keeps serving its current model and retries "
                                + "every {} s, counting further failures in {} without logging each.", topic, e.toString(), RETRY.toSeconds(),
                                ModelSources.SOURCE_ERRORS);
                    }
                    pause();
                } catch (RuntimeException e) {
                    errors.increment();
                    LOG.error("Handling models from topic '{}' failed unexpectedly; the service keeps serving its current model and "
                            + "goes on with the next records in {} s.", topic, RETRY.toSeconds(), e);
                    pause();
                }
            }
        } finally {
            consumerMetrics.close();
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            LOG.info("Stopped reading models from topic '{}'.", topic);
        }
    }

    /** Every {@link #PROBE_EVERY}, asks the broker for the end offsets; logs once when it stops and starts answering. */
    private void probe() {
        long now = System.nanoTime();
        if (now - nextProbe < 0) {
            return;
        }
        nextProbe = now + PROBE_EVERY.toNanos();
        try {
            consumer.endOffsets(consumer.assignment(), PROBE_TIMEOUT);
            if (unreachable) {
                unreachable = false;
                LOG.info("Kafka at {} answers again; reading models from topic '{}' resumes where it stopped.", bootstrapServers, topic);
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            errors.increment();
            if (!unreachable) {
                unreachable = true;
                LOG.warn("Kafka at {} does not answer ({}); the service keeps serving its current model and the models-topic "
                        + "watcher keeps retrying until the broker is back.", bootstrapServers, e.getMessage());
            }
        }
    }

    private void offer(ConsumerRecords<String, byte[]> records) {
        // Only the newest few records per name matter: older ones would be loaded only to be unloaded again.
        Map<String, Deque<ConsumerRecord<String, byte[]>>> newest = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            String origin = origin(record);
            if (record.key() == null) {
                registry.rejectUnreadable(origin, "the record has no key; the models topic is keyed by model name");
                continue;
            }
            if (record.value() == null) {
                LOG.info("Model '{}' was deleted from the topic at {} (tombstone); loaded versions stay until replaced.", record.key(), origin);
                continue;
            }
            Deque<ConsumerRecord<String, byte[]>> kept = newest.computeIfAbsent(record.key(), k -> new ArrayDeque<>());
            kept.addLast(record);
            if (kept.size() > keepVersions) {
                kept.removeFirst();
            }
        }
        for (Deque<ConsumerRecord<String, byte[]>> kept : newest.values()) {
            for (ConsumerRecord<String, byte[]> record : kept) {
                ModelManifest manifest;
                try {
                    manifest = ModelHeaders.read(record.key(), record.headers());
                } catch (IllegalArgumentException e) {
                    registry.rejectUnreadable(origin(record), e.getMessage());
                    continue;
                }
                registry.offer(manifest, record.value(), ModelHeaders.readSignature(record.headers()), origin(record));
            }
        }
    }

    private void pause() {
        try {
            if (stop.await(RETRY.toMillis(), TimeUnit.MILLISECONDS)) {
                running = false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static String origin(ConsumerRecord<?, ?> record) {
        return "topic " + record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
