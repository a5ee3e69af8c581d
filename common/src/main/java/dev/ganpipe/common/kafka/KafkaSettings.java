package dev.ganpipe.common.kafka;

import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * How every service reaches Kafka: the bootstrap servers plus any client properties the operator passes through
 * (security.protocol, sasl.*, ssl.* ...), so SASL/SCRAM or TLS needs configuration, not code.
 *
 * @param bootstrapServers comma-separated host:port list
 * @param clientProperties extra client properties applied to every producer, consumer, admin and Streams app
 * @param instance this process's name among the replicas of its service, the suffix of its client ids (see
 *     {@link #clientId}); by default the host name
 */
public record KafkaSettings(String bootstrapServers, Map<String, String> clientProperties, String instance) {

    /** Models are far larger than Kafka's 1 MiB default; topic, producer and consumer limits are raised to this. */
    public static final int MAX_MODEL_BYTES = 64 * 1024 * 1024;

    /** {@code StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG}, deprecated in Kafka 4.4. */
    static final String PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED = "processing.exception.handler.global.enabled";

    public KafkaSettings {
        Objects.requireNonNull(bootstrapServers, "Kafka bootstrap servers are required, e.g. localhost:9092.");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("Kafka bootstrap servers must not be blank; set --bootstrap-servers, e.g. localhost:9092.");
        }
        clientProperties = Map.copyOf(new TreeMap<>(clientProperties));
        Objects.requireNonNull(instance, "An instance name is required; pass ClientInstance.hostName() for the default.");
        if (!instance.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("The instance name '" + instance + "' may hold only letters, digits, '.', '_' and '-'; "
                    + "set --instance to such a name, e.g. trainer-0.");
        }
    }

    /** Settings for this host's instance. */
    public KafkaSettings(String bootstrapServers, Map<String, String> clientProperties) {
        this(bootstrapServers, clientProperties, ClientInstance.hostName());
    }

    /** Settings with no extra client properties. */
    public static KafkaSettings of(String bootstrapServers) {
        return new KafkaSettings(bootstrapServers, Map.of());
    }

    /** The same settings for another instance name. */
    public KafkaSettings withInstance(String name) {
        return new KafkaSettings(bootstrapServers, clientProperties, name);
    }

    /**
     * The client id of one of this service's clients: the role, then the instance, e.g. {@code gan-trainer-models-host1}.
     * Stable across restarts, so a client's metric series and the broker's per-client quotas carry over, and distinct
     * per role, so the clients of one process never share a JMX name.
     */
    public String clientId(String role) {
        return role + "-" + instance;
    }

    /** Properties every client gets: bootstrap servers and the pass-through client properties. */
    public Properties common() {
        Properties props = new Properties();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.putAll(clientProperties);
        return props;
    }

    /** An idempotent producer (acks=all) as DESIGN.md requires, able to send models. */
    public Properties producer(String clientId) {
        Properties props = common();
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(MAX_MODEL_BYTES));
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return props;
    }

    /** A consumer in {@code groupId} that commits offsets only when the caller says so. */
    public Properties consumer(String clientId, String groupId) {
        // A group member reads like a groupless consumer (committed records only, from the start, models-sized fetches).
        Properties props = groupless(clientId);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        return props;
    }

    /** A consumer outside any group (manual assignment), e.g. to read the compacted models topic from the start. */
    public Properties groupless(String clientId) {
        Properties props = common();
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(MAX_MODEL_BYTES));
        return props;
    }

    /** An admin client. */
    public Properties admin(String clientId) {
        Properties props = common();
        props.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        return props;
    }

    /** A Kafka Streams app with exactly-once processing. */
    public Properties streams(String applicationId) {
        Properties props = common();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        // Without it Streams names its clients after a random process id, and every restart starts new metric series.
        props.put(StreamsConfig.CLIENT_ID_CONFIG, clientId(applicationId));
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // Streams prefixes: the pass-through client properties above already apply to its inner clients.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), Integer.toString(MAX_MODEL_BYTES));
        // Use the processing exception handler for global stores too (the default, and the option gone, from Kafka 5.0;
        // hence the literal rather than the deprecated constant). Streams 4.4 warns at start-up whenever it reads this
        // as false, and it reads it twice: from these properties, and again in the partition assignor, from the main
        // consumer's configs, which carry only consumer settings and "main.consumer."-prefixed ones. Hence both.
        props.put(PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED, "true");
        props.put(StreamsConfig.mainConsumerPrefix(PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED), "true");
        return props;
    }
}
