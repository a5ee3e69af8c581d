package dev.ganpipe.common.streams;

import dev.ganpipe.common.config.ConfigException;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What the Streams error handlers need. Kafka instantiates handlers by class name, so this object reaches them
 * through the Streams config map under {@link #CONFIG_KEY}; {@link #install} puts it there with the handlers.
 *
 * @param deadLetters builds dead letters
 * @param internal the app's reason for a record it failed on (a bug, a runtime fault)
 * @param wording how the app names what it failed on
 * @param listener counts what the handlers took over in the app's meters
 */
public record StreamsHandlerContext(DeadLetters deadLetters, DeadLetterReason internal, FailureWording wording, StreamErrorListener listener) {

    /** The Streams config key the context travels under. */
    public static final String CONFIG_KEY = "gan.streams.handler.context";

    /**
     * Puts this context and the handlers into a Streams config: a record that cannot be deserialised or processed is
     * dead-lettered with reason {@link #internal}; with {@code skipRefusedOutput}, an output the broker refuses is
     * logged, counted and skipped rather than failing the stream. Leave that off where a skipped output would leave
     * half an answer behind.
     */
    public void install(Properties props, boolean skipRefusedOutput) {
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetteringHandler.class.getName());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetteringHandler.class.getName());
        if (skipRefusedOutput) {
            props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, ProductionFailureHandler.class.getName());
        }
        // processing.exception.handler.global.enabled comes with the shared settings (KafkaSettings.streams).
        props.put(CONFIG_KEY, this);
    }

    static StreamsHandlerContext from(Map<String, ?> configs) {
        if (configs.get(CONFIG_KEY) instanceof StreamsHandlerContext context) {
            return context;
        }
        throw new ConfigException("The Streams config lacks " + CONFIG_KEY + "; put the handlers in it with StreamsHandlerContext.install(...), "
                + "as the apps' streamsConfig(...) do.");
    }
}
