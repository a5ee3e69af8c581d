package dev.ganpipe.trainer.data;

import dev.ganpipe.common.image.CanonicalImage;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.image.ModelPixels;
import dev.ganpipe.common.image.Png;
import dev.ganpipe.common.kafka.GanHeaders;
import dev.ganpipe.common.kafka.TrainImageHeaders;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.Topic;
import dev.ganpipe.common.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code images.train} on its own thread and decodes each PNG into model-ordered bytes, so the training thread
 * only ever takes ready images from a bounded queue. When the queue is full the consumer thread blocks, which
 * is the back-pressure on Kafka. A record that is not a canonical PNG of the trained shape (by its {@code gan.image.shape}
 * header or its pixels) is skipped, logged
 * and counted in {@code gan.trainer.records.rejected}; it never stops training.
 */
public final class TrainingFeed implements FreshImages, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingFeed.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaClientMetrics consumerMetrics;
    private final Topic<String, byte[]> topic;
    private final ImageShape shape;
    private final int classes;
    private final BlockingQueue<DecodedImage> ready;
    private final Counter rejected;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private final Map<TopicPartition, Long> lag = new HashMap<>();
    private static final long END_OFFSET_REFRESH_NANOS = 5_000_000_000L;
    private final Map<TopicPartition, Long> knownEnds = new HashMap<>(); // consumer thread only
    private long lastEndOffsetRefresh = System.nanoTime() - END_OFFSET_REFRESH_NANOS; // consumer thread only
    private final Map<TopicPartition, Long> pendingCommit = new HashMap<>();
    private volatile long consumed;
    private volatile RuntimeException failure;

    /**
     * A feed for an unconditional GAN: labels are ignored.
     *
     * @param queueCapacity decoded images held ahead of the trainer
     */
    public TrainingFeed(KafkaSettings kafka, String groupId, Topic<String, byte[]> topic, ImageShape shape,
            int queueCapacity, MeterRegistry registry) {
        this(kafka, groupId, topic, shape, 0, queueCapacity, registry);
    }

    /**
     * @param classes for a conditional GAN the number of labels: each image carries its {@code gan.label}, and a
     *     record without a label in {@code [0, classes)} is skipped like an undecodable one; 0 ignores labels
     * @param queueCapacity decoded images held ahead of the trainer
     */
    public TrainingFeed(KafkaSettings kafka, String groupId, Topic<String, byte[]> topic, ImageShape shape,
            int classes, int queueCapacity, MeterRegistry registry) {
        this.classes = classes;
        this.consumer = new KafkaConsumer<>(kafka.consumer(kafka.clientId("gan-trainer-feed"), groupId),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        // The consumer's kafka_consumer_* metrics (fetch rate, lag, rebalances), as ingest and the generator expose theirs.
        this.consumerMetrics = new KafkaClientMetrics(consumer);
        consumerMetrics.bindTo(registry);
        this.topic = topic;
        this.shape = shape;
        this.ready = new ArrayBlockingQueue<>(queueCapacity);
        this.rejected = Counter.builder(MetricNames.TRAINER_RECORDS_REJECTED)
                .description("images.train records the trainer could not decode and skipped").register(registry);
        this.thread = Thread.ofPlatform().name("trainer-feed").daemon(true).unstarted(this::run);
    }

    /** Starts consuming. */
    public void start() {
        consumer.subscribe(List.of(topic.name()));
        thread.start();
    }

    /** Takes up to {@code max} ready images, waiting at most {@code timeout} for the first one. */
    @Override
    public int drainTo(List<DecodedImage> into, int max, Duration timeout) throws InterruptedException {
        RuntimeException failed = failure;
        if (failed != null) {
            throw new IllegalStateException("The training feed stopped: " + failed.getMessage(), failed);
        }
        int n = ready.drainTo(into, max);
        if (n > 0 || timeout.isZero()) {
            return n;
        }
        DecodedImage first = ready.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (first == null) {
            return 0;
        }
        into.add(first);
        return 1 + ready.drainTo(into, max - 1);
    }

    /** Records consumed so far. */
    public long consumed() {
        return consumed;
    }

    /** Images not yet trained on: the consumer's lag on its partitions plus the decoded images queued. */
    @Override
    public synchronized long lag() {
        return lag.values().stream().mapToLong(Long::longValue).sum() + ready.size();
    }

    /**
     * Asks for the given positions (next offsets to read) to be committed. Call it only once the work they stand
     * for is durable; KafkaConsumer is not thread-safe, so the consumer thread commits them on its next loop.
     */
    public void commit(Map<TopicPartition, Long> positions) {
        synchronized (pendingCommit) {
            positions.forEach((tp, offset) -> pendingCommit.merge(tp, offset, Math::max));
        }
    }

    private void run() {
        try {
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    decode(record);
                }
                updateLag();
                commitPending();
            }
        } catch (WakeupException e) {
            if (running.get()) {
                failure = e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("The training feed failed; the trainer stops training until it is restarted.", e);
            failure = e;
        } finally {
            try {
                commitPendingOnClose();
            } finally {
                consumerMetrics.close();
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            }
        }
    }

    private void decode(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        CanonicalImage image;
        int label;
        try {
            label = classes > 0 ? label(record) : DecodedImage.NO_LABEL;
            refuseOtherShape(record);
            image = Png.decode(record.value() == null ? new byte[0] : record.value(), shape);
        } catch (IllegalArgumentException e) {
            rejected.increment();
            LOG.warn("Skipping {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
            return;
        }
        DecodedImage decoded = new DecodedImage(ModelPixels.toModelBytes(image), new TopicPartition(record.topic(), record.partition()),
                record.offset(), label);
        while (running.get() && !ready.offer(decoded, 200, TimeUnit.MILLISECONDS)) {
            commitPending(); // keep committing while the trainer catches up
            updateLag();
        }
        consumed++;
    }

    /** A record whose {@code gan.image.shape} header names another shape is refused before its PNG is decoded. */
    private void refuseOtherShape(ConsumerRecord<String, byte[]> record) {
        String declared = GanHeaders.text(record.headers(), GanHeaders.IMAGE_SHAPE).orElse(shape.toString());
        if (!declared.equals(shape.toString())) {
            throw new IllegalArgumentException("Its image is " + declared + ", but this trainer trains " + shape + " images (decided "
                    + "by --image-shape, its checkpoint or the topic's first record); ingest images of another shape to another "
                    + "training topic and run a trainer for them with its own --checkpoint-dir.");
        }
    }

    private int label(ConsumerRecord<String, byte[]> record) {
        long label = TrainImageHeaders.label(record.headers()).orElseThrow(() -> new IllegalArgumentException(
                "The record has no " + GanHeaders.LABEL + " header, which a conditional GAN needs."));
        if (label < 0 || label >= classes) {
            throw new IllegalArgumentException("Its " + GanHeaders.LABEL + " " + label + " is outside 0.." + (classes - 1)
                    + "; list every class in --classes if the data has more classes.");
        }
        return (int) label;
    }

    /**
     * Updates the lag from the consumer's view, and every few seconds from the partitions' real end offsets: the
     * consumer's own lag uses the end offsets of its last fetch, which stay old while the feed waits on a full queue
     * (the endurance bench saw 1,024 reported against 57,024 untrained images). Consumer thread only.
     */
    private void updateLag() {
        long now = System.nanoTime();
        if (now - lastEndOffsetRefresh >= END_OFFSET_REFRESH_NANOS && !consumer.assignment().isEmpty()) {
            lastEndOffsetRefresh = now;
            try {
                knownEnds.putAll(consumer.endOffsets(consumer.assignment(), Duration.ofSeconds(2)));
            } catch (TimeoutException e) {
                // The lag is a figure for metrics and status; training goes on and the next refresh tries again.
                LOG.debug("Could not refresh the training topic's end offsets: {}", e.getMessage());
            }
        }
        Map<TopicPartition, Long> fresh = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            OptionalLong current = consumer.currentLag(tp);
            if (current.isPresent()) { // present once the consumer has a position on the partition
                Long end = knownEnds.get(tp);
                long fromEnd = end == null ? 0 : Math.max(0, end - consumer.position(tp));
                fresh.put(tp, Math.max(current.getAsLong(), fromEnd));
            }
        }
        synchronized (this) {
            lag.putAll(fresh);
        }
    }

    private void commitPending() {
        Map<TopicPartition, Long> positions;
        synchronized (pendingCommit) {
            positions = new HashMap<>(pendingCommit);
            pendingCommit.clear();
        }
        if (positions.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        positions.forEach((tp, offset) -> commit.put(tp, new OffsetAndMetadata(offset)));
        try {
            consumer.commitSync(commit);
            LOG.debug("Committed {}", positions);
        } catch (RebalanceInProgressException | RetriableException e) {
            // E.g. a restarted trainer whose killed predecessor has not left the group yet: the commit succeeds once
            // the next poll completes the rebalance, so keep the positions and try again then.
            commit(positions);
            LOG.info("Committing {} waits for the consumer group to settle ({}); retrying after the next poll.", positions,
                    e.getClass().getSimpleName());
        } catch (RuntimeException e) {
            commit(positions); // not committed: keep them for the next attempt
            throw e;
        }
    }

    /**
     * The last commit before the consumer closes: the final checkpoint's positions are usually among them. A
     * wakeup meant for the poll loop may still be pending and abort the first attempt; the second then runs.
     */
    private void commitPendingOnClose() {
        try {
            commitPending();
        } catch (WakeupException e) {
            LOG.debug("The closing commit met the pending wakeup; committing again.");
            commitPending();
        } catch (RuntimeException e) {
            Map<TopicPartition, Long> lost;
            synchronized (pendingCommit) {
                lost = Map.copyOf(pendingCommit);
            }
            LOG.error("Could not commit the final positions {} on close ({}); the next start re-reads the images "
                    + "after the last committed offsets (at-least-once).", lost, e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (thread.getState() == Thread.State.NEW) {
            consumerMetrics.close();
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5))); // never started: no thread owns it
            return;
        }
        running.set(false);
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
