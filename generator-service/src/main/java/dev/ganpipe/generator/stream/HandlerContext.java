package dev.ganpipe.generator.stream;

import dev.ganpipe.common.config.ConfigException;
import java.util.Map;

/**
 * What the Streams error handler needs. Kafka instantiates handlers by class name, so this object reaches them
 * through the Streams config map under {@link #CONFIG_KEY}.
 *
 * @param metrics where dead-lettered requests are counted
 * @param deadLetters builds dead letters
 */
record HandlerContext(RequestMetrics metrics, RequestDeadLetters deadLetters) {

    static final String CONFIG_KEY = "gan.generator.handler.context";

    static HandlerContext from(Map<String, ?> configs) {
        if (configs.get(CONFIG_KEY) instanceof HandlerContext context) {
            return context;
        }
        throw new ConfigException("The Streams config lacks " + CONFIG_KEY + "; build it with RequestTopology.streamsConfig(...).");
    }
}
