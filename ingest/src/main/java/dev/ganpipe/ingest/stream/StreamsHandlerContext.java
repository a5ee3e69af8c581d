package dev.ganpipe.ingest.stream;

import dev.ganpipe.common.config.ConfigException;
import java.util.Map;

/**
 * What the Streams error handlers need. Kafka instantiates handlers by class name, so this object reaches them
 * through the Streams config map under {@link #CONFIG_KEY}.
 *
 * @param metrics where handled errors are counted
 * @param deadLetters builds dead letters
 */
record StreamsHandlerContext(IngestMetrics metrics, DeadLetters deadLetters) {

    static final String CONFIG_KEY = "gan.ingest.handler.context";

    static StreamsHandlerContext from(Map<String, ?> configs) {
        if (configs.get(CONFIG_KEY) instanceof StreamsHandlerContext context) {
            return context;
        }
        throw new ConfigException("The Streams config lacks " + CONFIG_KEY + "; build it with NormalizerTopology.streamsConfig(...).");
    }
}
