package dev.ganpipe.ingest.publish;

import dev.ganpipe.common.kafka.CloudEvents;
import dev.ganpipe.common.kafka.RawImageHeaders;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Headers;

/**
 * Produces raw images with an idempotent producer ({@code acks=all}, from {@link KafkaSettings#producer}): the key
 * as UTF-8, the bytes unchanged, {@code gan.label} when known, and CloudEvents headers of type
 * {@code gan.image.raw.v1} with the bytes' media type.
 */
public final class KafkaRawSink implements RawSink {

    private final Producer<byte[], byte[]> producer;
    private final Topic<byte[], byte[]> topic;
    private final CloudEvents events;

    /** Wraps a producer; the sink closes it. */
    public KafkaRawSink(Producer<byte[], byte[]> producer, Topic<byte[], byte[]> topic, CloudEvents events) {
        this.producer = producer;
        this.topic = topic;
        this.events = events;
    }

    /** A sink with its own producer. */
    public static KafkaRawSink create(KafkaSettings kafka, String clientId, Topic<byte[], byte[]> topic, String eventSource, Clock clock) {
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.producer(clientId),
                topic.keySerde().serializer(), topic.valueSerde().serializer());
        return new KafkaRawSink(producer, topic, new CloudEvents(eventSource, clock));
    }

    /** The producer, e.g. to bind its metrics. */
    public Producer<byte[], byte[]> producer() {
        return producer;
    }

    @Override
    public CompletableFuture<Void> send(RawImage image) {
        Headers headers = new RawImageHeaders(image.contentType(), image.label()).write(events);
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(topic.name(), null, image.key().getBytes(StandardCharsets.UTF_8), image.bytes(), headers),
                    (metadata, exception) -> {
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
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
