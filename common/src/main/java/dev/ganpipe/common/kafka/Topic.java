package dev.ganpipe.common.kafka;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * A topic together with the serdes of its keys and values, so that producers, consumers and Streams
 * topologies never pair a topic name with the wrong serde.
 *
 * @param name the topic name (configurable; defaults in {@link TopicCatalog})
 * @param keySerde serde of the record keys
 * @param valueSerde serde of the record values
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {

    public Topic {
        Objects.requireNonNull(name, "A topic needs a name.");
        if (name.isBlank()) {
            throw new IllegalArgumentException("A topic name must not be blank; set a name or leave the default.");
        }
        Objects.requireNonNull(keySerde, "Topic " + name + " needs a key serde.");
        Objects.requireNonNull(valueSerde, "Topic " + name + " needs a value serde.");
    }

    @Override
    public String toString() {
        return name;
    }
}
