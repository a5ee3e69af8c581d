package dev.ganpipe.ingest.publish;

import dev.ganpipe.common.kafka.CloudEvents;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.RawImageHeaders;
import dev.ganpipe.common.kafka.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces raw images with an idempotent producer ({@code acks=all}, from {@link KafkaSettings#producer}): the key
 * as UTF-8, the bytes unchanged, {@code gan.label} when known, and CloudEvents headers of type
 * {@code gan.image.raw.v1} with the bytes' media type. Images that stand or fall together ({@link #sendAll}) go in
 * one transaction of a second, transactional producer, made on first use; the normaliser reads
 * {@code read_committed}, so it sees all of them or none.
 */
public final class KafkaRawSink implements RawSink {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaRawSink.class);

    private final Producer<byte[], byte[]> producer;
    private final Topic<byte[], byte[]> topic;
    private final CloudEvents events;
    private final Supplier<Producer<byte[], byte[]>> transactionalFactory;
    // One transaction at a time: a producer has at most one open, and a multipart upload is short.
    private final ExecutorService transactions = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("raw-sink-transactions")
            .daemon(true).factory());
    private Producer<byte[], byte[]> transactional;

    /** Wraps a producer, and a factory of the transactional one for {@link #sendAll}; the sink closes both. */
    public KafkaRawSink(Producer<byte[], byte[]> producer, Supplier<Producer<byte[], byte[]>> transactionalFactory, Topic<byte[], byte[]> topic,
            CloudEvents events) {
        this.producer = producer;
        this.transactionalFactory = transactionalFactory;
        this.topic = topic;
        this.events = events;
    }

    /** A sink with its own producer, for records of Kafka settings' usual size. */
    public static KafkaRawSink create(KafkaSettings kafka, String clientId, Topic<byte[], byte[]> topic, String eventSource, Clock clock) {
        return create(kafka, clientId, topic, eventSource, clock, KafkaSettings.MAX_MODEL_BYTES);
    }

    /**
     * A sink with its own producer.
     *
     * @param maxRecordBytes the producer's {@code max.request.size}: at least the record an image of {@code --max-bytes} makes
     */
    public static KafkaRawSink create(KafkaSettings kafka, String clientId, Topic<byte[], byte[]> topic, String eventSource, Clock clock,
            int maxRecordBytes) {
        Properties config = kafka.producer(clientId);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(Math.max(maxRecordBytes, KafkaSettings.MAX_MODEL_BYTES)));
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, topic.keySerde().serializer(), topic.valueSerde().serializer());
        Supplier<Producer<byte[], byte[]>> transactional = () -> {
            Properties tx = new Properties();
            tx.putAll(config);
            tx.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-tx");
            // Unique per process, so two ingest instances never fence each other; under the client id's prefix, which the
            // documented prefixed transactional-id ACL covers. A transaction left open by a crash is aborted by the broker
            // after transaction.timeout.ms (60 s by default).
            tx.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, clientId + "-" + UUID.randomUUID());
            KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(tx, topic.keySerde().serializer(), topic.valueSerde().serializer());
            p.initTransactions();
            return p;
        };
        return new KafkaRawSink(producer, transactional, topic, new CloudEvents(eventSource, clock));
    }

    /** The producer, e.g. to bind its metrics. */
    public Producer<byte[], byte[]> producer() {
        return producer;
    }

    @Override
    public CompletableFuture<Void> send(RawImage image) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            producer.send(record(image), (metadata, exception) -> {
                if (exception != null) {
                    done.completeExceptionally(exception);
                } else {
                    done.complete(null);
                }
            });
        } catch (KafkaException e) {
            // Failures the producer reports by throwing (buffer full past max.block.ms, closed producer) reach the
            // caller the same way as those it reports through the callback.
            done.completeExceptionally(e);
        }
        return done;
    }

    @Override
    public CompletableFuture<Void> sendAll(List<RawImage> images) {
        if (images.size() == 1) {
            return send(images.getFirst());
        }
        return CompletableFuture.runAsync(() -> sendInOneTransaction(images), transactions);
    }

    /** Runs on the transactions thread only. */
    private void sendInOneTransaction(List<RawImage> images) {
        if (transactional == null) {
            transactional = transactionalFactory.get();
        }
        Producer<byte[], byte[]> p = transactional;
        try {
            p.beginTransaction();
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            for (RawImage image : images) {
                sends.add(p.send(record(image)));
            }
            p.flush();
            // The first failed send says why (e.g. a record too large for the topic); commit would only say "error state".
            for (Future<RecordMetadata> send : sends) {
                send.get();
            }
            p.commitTransaction();
        } catch (ExecutionException e) {
            abort(p);
            throw e.getCause() instanceof KafkaException k ? k : new KafkaException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort(p);
            throw new KafkaException("Interrupted while storing an upload; nothing of it was stored.", e);
        } catch (KafkaException e) {
            abort(p);
            throw e;
        }
    }

    /**
     * Aborts the open transaction; a producer that cannot abort (fenced, or failed for good) is closed and replaced on
     * the next upload, and the failure of this one still reaches its caller.
     */
    private void abort(Producer<byte[], byte[]> p) {
        try {
            p.abortTransaction();
        } catch (KafkaException e) {
            LOG.warn("Aborting an upload transaction failed ({}); the next multipart upload gets a new transactional producer.",
                    e.toString());
            transactional = null;
            p.close(Duration.ZERO);
        }
    }

    private ProducerRecord<byte[], byte[]> record(RawImage image) {
        Headers headers = new RawImageHeaders(image.contentType(), image.label()).write(events);
        return new ProducerRecord<>(topic.name(), null, image.key().getBytes(StandardCharsets.UTF_8), image.bytes(), headers);
    }

    @Override
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        Future<?> closed = transactions.submit(() -> {
            if (transactional != null) {
                transactional.close(Duration.ofSeconds(30));
            }
        });
        transactions.shutdown();
        try {
            closed.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Closing the producer of upload transactions failed.", e.getCause());
        } finally {
            producer.close(Duration.ofSeconds(30));
        }
    }
}
