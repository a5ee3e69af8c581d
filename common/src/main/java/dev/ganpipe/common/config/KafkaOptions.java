package dev.ganpipe.common.config;

import dev.ganpipe.common.kafka.ClientInstance;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.TopicCatalog;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The settings every service shares: the Kafka connection (with security pass-through) and the topic names.
 * Client properties come from a standard Kafka {@code .properties} file ({@code --kafka-config}) and from
 * environment variables {@code GAN_KAFKA_CLIENT_<PROPERTY>} (e.g. {@code GAN_KAFKA_CLIENT_SECURITY_PROTOCOL=SASL_SSL}).
 */
public final class KafkaOptions {

    public static final String ENV_CLIENT_PREFIX = "GAN_KAFKA_CLIENT_";

    private KafkaOptions() {
    }

    /** The shared settings (connection and topic names), to be added to each service's spec. */
    public static ConfigSpec spec() {
        return new ConfigSpec("(shared)", "")
                .add("bootstrap-servers", "localhost:9092", "Kafka bootstrap servers (host:port,...).")
                .optional("kafka-config", "A Kafka client .properties file (security.protocol, sasl.*, ssl.* ...) applied to every client.")
                .optional("instance", "This replica's name, the suffix of its Kafka client ids (e.g. gan-trainer-models-<instance>), "
                        + "so metric series and client quotas survive a restart; default: the host name.")
                .addAll(topicsSpec());
    }

    /** The topic names alone. */
    public static ConfigSpec topicsSpec() {
        TopicCatalog d = TopicCatalog.defaults();
        return new ConfigSpec("(topics)", "")
                .add("topic-images-raw", d.imagesRaw(), "Topic of raw encoded images from any producer.")
                .add("topic-images-train", d.imagesTrain(), "Topic of canonical training images.")
                .add("topic-images-dlq", d.imagesDlq(), "Dead-letter topic for rejected input.")
                .add("topic-models", d.modelsGenerator(), "Compacted topic of published ONNX generators.")
                .add("topic-synthetic-requests", d.syntheticRequests(), "Topic of JSON generation requests.")
                .add("topic-synthetic-images", d.syntheticImages(), "Topic of generated images.");
    }

    /** The topic names from the values. */
    public static TopicCatalog topics(ConfigValues v) {
        return new TopicCatalog(v.string("topic-images-raw"), v.string("topic-images-train"), v.string("topic-images-dlq"),
                v.string("topic-models"), v.string("topic-synthetic-requests"), v.string("topic-synthetic-images"));
    }

    /** The Kafka connection from the values and the process environment. */
    public static KafkaSettings kafka(ConfigValues v) {
        return kafka(v, System.getenv());
    }

    /** The Kafka connection from the values and the given environment. */
    public static KafkaSettings kafka(ConfigValues v, Map<String, String> env) {
        Map<String, String> props = new TreeMap<>();
        v.optional("kafka-config").ifPresent(file -> props.putAll(load(Path.of(file))));
        env.forEach((key, value) -> {
            if (key.startsWith(ENV_CLIENT_PREFIX)) {
                props.put(key.substring(ENV_CLIENT_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        String instance = v.optional("instance").orElseGet(ClientInstance::hostName);
        return new KafkaSettings(v.string("bootstrap-servers"), props, instance);
    }

    private static Map<String, String> load(Path file) {
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            p.load(reader);
        } catch (IOException e) {
            throw new ConfigException("Cannot read the Kafka client config " + file.toAbsolutePath()
                    + "; check --kafka-config points at a readable .properties file.", e);
        }
        Map<String, String> result = new TreeMap<>();
        p.stringPropertyNames().forEach(name -> result.put(name, p.getProperty(name)));
        return result;
    }
}
