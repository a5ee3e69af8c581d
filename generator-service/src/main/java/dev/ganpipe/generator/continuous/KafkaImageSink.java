package dev.ganpipe.generator.continuous;

import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.Topic;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

/** Sends continuous-mode images to {@code synthetic.images} with an idempotent producer (acks=all). */
public final class KafkaImageSink implements ImageSink {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaProducer<String, byte[]> producer;
    private final KafkaClientMetrics producerMetrics;
    private final Topic<String, byte[]> topic;

    private KafkaImageSink(KafkaProducer<String, byte[]> producer, KafkaClientMetrics producerMetrics, Topic<String, byte[]> topic) {
        this.producer = producer;
        this.producerMetrics = producerMetrics;
        this.topic = topic;
    }

    /**
     * Creates the producer and binds its client metrics.
     *
     * @param clientId the producer's client id
     */
    public static KafkaImageSink create(KafkaSettings kafka, String clientId, Topic<String, byte[]> topic, MeterRegistry meters) {
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producer(clientId), topic.keySerde().serializer(),
                topic.valueSerde().serializer());
        KafkaClientMetrics metrics = new KafkaClientMetrics(producer);
        metrics.bindTo(meters);
        return new KafkaImageSink(producer, metrics, topic);
    }

    @Override
    public void send(String key, byte[] png, Headers headers, Consumer<Exception> done) {
        producer.send(new ProducerRecord<>(topic.name(), null, key, png, headers), (metadata, exception) -> done.accept(exception));
    }

    @Override
    public void close() {
        try {
            producerMetrics.close();
        } finally {
            producer.close(CLOSE_TIMEOUT);
        }
    }
}
