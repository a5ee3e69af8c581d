package dev.ganpipe.ingest.example;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Feeding the pipeline from your own Java code: encoded images onto {@code images.raw} with only
 * {@code org.apache.kafka:kafka-clients}. It uses nothing from this project on purpose, so it can be copied as it
 * is; docs/ingest.md walks through it.
 *
 * <pre>
 * java -cp kafka-clients.jar:. dev.ganpipe.ingest.example.RawImageProducerExample localhost:9092 shirt.png 6
 * </pre>
 */
public final class RawImageProducerExample {

    /** The topic ingest normalises from. */
    public static final String TOPIC = "images.raw";
    /** Optional: the class as an index ("0".."9") or a configured class name ("Sneaker"). */
    public static final String LABEL_HEADER = "gan.label";
    /** Optional: the media type of the bytes; the normaliser trusts the bytes, this only helps people reading the topic. */
    public static final String CONTENT_TYPE_HEADER = "content-type";

    private RawImageProducerExample() {
    }

    /** {@code BOOTSTRAP_SERVERS IMAGE_FILE [LABEL]}: sends one image and prints where it landed. */
    public static void main(String[] args) throws Exception {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: RawImageProducerExample BOOTSTRAP_SERVERS IMAGE_FILE [LABEL]");
            System.exit(2);
        }
        byte[] image = Files.readAllBytes(Path.of(args[1]));
        Optional<String> label = args.length == 3 ? Optional.of(args[2]) : Optional.empty();
        try (Producer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(args[0]))) {
            RecordMetadata where = send(producer, TOPIC, Path.of(args[1]).getFileName().toString(), image, label, "image/png");
            System.out.println("sent to " + where.topic() + "-" + where.partition() + "@" + where.offset());
        }
    }

    /**
     * A producer that never duplicates or reorders a retried send, as the pipeline's own producers are: idempotent,
     * {@code acks=all}. Byte arrays for key and value: the value is the encoded image (PNG, JPEG, BMP or GIF) as it
     * is, up to the normaliser's {@code --max-bytes} (10 MiB by default; raise {@code max.request.size} to send more
     * than 1 MiB).
     */
    public static Properties producerConfig(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    /**
     * Sends one image and waits for the broker's acknowledgement. In a loop, send without waiting and
     * {@code producer.flush()} at the end: that is what {@code gan ingest} does.
     *
     * @param key any id of yours (a file name, a UUID); null is fine too. The train topic is keyed by the image's
     *        content hash, not by this.
     * @param label the class, or empty for an unlabelled image
     * @param contentType the media type of {@code image}
     */
    public static RecordMetadata send(Producer<byte[], byte[]> producer, String topic, String key, byte[] image, Optional<String> label,
            String contentType) throws InterruptedException, ExecutionException {
        RecordHeaders headers = new RecordHeaders();
        headers.add(CONTENT_TYPE_HEADER, contentType.getBytes(StandardCharsets.UTF_8));
        label.ifPresent(l -> headers.add(LABEL_HEADER, l.getBytes(StandardCharsets.UTF_8)));
        // Optional CloudEvents (binary mode) headers; ingest adds its own on the records it produces.
        headers.add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        headers.add("ce_source", "/my-camera".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_type", "gan.image.raw.v1".getBytes(StandardCharsets.UTF_8));
        byte[] keyBytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        return producer.send(new ProducerRecord<>(topic, null, keyBytes, image, headers)).get();
    }

    /** The header names this example writes, for the test that keeps them equal to the pipeline's. */
    static List<String> headerNames() {
        return List.of(LABEL_HEADER, CONTENT_TYPE_HEADER, "ce_specversion", "ce_id", "ce_source", "ce_type");
    }
}
