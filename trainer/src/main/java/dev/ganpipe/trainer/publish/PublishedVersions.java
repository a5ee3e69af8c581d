package dev.ganpipe.trainer.publish;

import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.Topic;
import dev.ganpipe.common.model.ModelDirectory;
import dev.ganpipe.common.model.ModelHeaders;
import dev.ganpipe.common.model.ModelManifest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the newest version already published under a model name, in the models directory and on the models
 * topic, so a restarted trainer keeps versions monotonic.
 */
public final class PublishedVersions {

    private static final Logger LOG = LoggerFactory.getLogger(PublishedVersions.class);

    private PublishedVersions() {
    }

    /** The highest version of {@code name} found in either place, or 0 when none was published. */
    public static long latest(String name, ModelDirectory directory, KafkaSettings kafka, Topic<String, byte[]> topic) {
        return newest(name, directory, kafka, topic).map(ModelManifest::version).orElse(0L);
    }

    /** The manifest of the highest version of {@code name} in either place (the live model), empty when none was published. */
    public static Optional<ModelManifest> newest(String name, ModelDirectory directory, KafkaSettings kafka, Topic<String, byte[]> topic) {
        Optional<ModelManifest> fromDir = directory.latest(name);
        Optional<ModelManifest> fromTopic = newestOnTopic(name, kafka, topic);
        if (fromDir.isEmpty()) {
            return fromTopic;
        }
        if (fromTopic.isEmpty()) {
            return fromDir;
        }
        return fromTopic.get().version() > fromDir.get().version() ? fromTopic : fromDir;
    }

    private static Optional<ModelManifest> newestOnTopic(String name, KafkaSettings kafka, Topic<String, byte[]> topic) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.groupless(kafka.clientId("gan-trainer-versions")),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("The models topic " + topic.name() + " does not exist; create the "
                        + "pipeline's topics first (./gan broker or the compose topic-init service does it).");
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            ModelManifest newest = null;
            for (TopicPartition tp : partitions) {
                long end = ends.get(tp);
                // The compacted topic is small in records (one per version at most); read it whole.
                consumer.seekToBeginning(List.of(tp));
                while (consumer.position(tp, Duration.ofSeconds(30)) < end) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500)).records(tp)) {
                        if (!name.equals(r.key()) || r.value() == null) {
                            continue; // another model, or a tombstone: neither is a version of this one
                        }
                        ModelManifest manifest;
                        try {
                            manifest = ModelHeaders.read(r.key(), r.headers());
                        } catch (IllegalArgumentException e) {
                            // A record no consumer could load is not a published version; it must not stop the trainer.
                            LOG.warn("Skipping the record at {}-{} offset {} on {}: its model headers are unusable ({}).",
                                    tp.topic(), tp.partition(), r.offset(), topic.name(), e.getMessage());
                            continue;
                        }
                        if (newest == null || manifest.version() > newest.version()) {
                            newest = manifest;
                        }
                    }
                }
            }
            return Optional.ofNullable(newest);
        }
    }
}
