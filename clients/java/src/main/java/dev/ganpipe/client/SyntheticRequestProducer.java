package dev.ganpipe.client;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Asks the generator service for images through Kafka: each {@link #send} writes one request to
 * {@code synthetic.requests} under a request id, and the images come back on {@code synthetic.images} keyed by that id.
 * Idempotent and {@code acks=all}, like every producer of the pipeline.
 */
public final class SyntheticRequestProducer implements AutoCloseable {

    private final Producer<String, SyntheticRequest> producer;
    private final String topic;

    /** A producer of the given client (e.g. one built with {@link #settings}) to the given topic. */
    public SyntheticRequestProducer(Producer<String, SyntheticRequest> producer, String topic) {
        this.producer = Objects.requireNonNull(producer, "Pass the Kafka producer to send requests with.");
        this.topic = Objects.requireNonNull(topic, "Pass the requests topic, e.g. " + RecordNames.SYNTHETIC_REQUESTS_TOPIC + ".");
    }

    /**
     * A producer to the default {@code synthetic.requests} topic.
     *
     * @param bootstrapServers e.g. {@code localhost:9092}
     * @param clientProperties any further client settings (security.protocol, sasl.*, ssl.*)
     */
    public static SyntheticRequestProducer connect(String bootstrapServers, Map<String, String> clientProperties) {
        return new SyntheticRequestProducer(new KafkaProducer<>(settings(bootstrapServers, clientProperties), new StringSerializer(),
                new SyntheticRequestSerializer()), RecordNames.SYNTHETIC_REQUESTS_TOPIC);
    }

    /** The producer settings {@link #connect} uses: idempotent, {@code acks=all}, the given extra settings on top. */
    public static Map<String, Object> settings(String bootstrapServers, Map<String, String> clientProperties) {
        Map<String, Object> settings = new TreeMap<>(clientProperties);
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        return settings;
    }

    /** Sends a request under a new random request id and returns that id once the broker has the request. */
    public String send(SyntheticRequest request, Duration timeout) {
        String requestId = UUID.randomUUID().toString();
        send(requestId, request, timeout);
        return requestId;
    }

    /**
     * Sends a request under the given id and waits until the broker has it.
     *
     * @throws KafkaException when the broker did not take it within {@code timeout}, saying why
     */
    public RecordMetadata send(String requestId, SyntheticRequest request, Duration timeout) {
        try {
            return producer.send(new ProducerRecord<>(topic, requestId, request)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new KafkaException("Request " + requestId + " could not be written to " + topic + ": " + e.getCause().getMessage()
                    + "; check that the broker is reachable and the topic exists.", e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("Request " + requestId + " was not written to " + topic + " within " + timeout
                    + "; check that the broker is reachable and the topic exists.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while sending request " + requestId + " to " + topic + ".", e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
