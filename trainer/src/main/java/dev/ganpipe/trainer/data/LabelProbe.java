package dev.ganpipe.trainer.data;

import dev.ganpipe.common.kafka.TrainImageHeaders;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/** Looks at the training topic's earliest record to decide {@code --conditional auto}. */
public final class LabelProbe {

    private LabelProbe() {
    }

    /**
     * Whether the earliest record found on the topic carries a {@code gan.label} header; empty when the topic holds
     * no record (or none arrives within {@code timeout}).
     *
     * @throws IllegalStateException when the topic does not exist
     */
    public static Optional<Boolean> earliestRecordLabelled(KafkaSettings kafka, Topic<String, byte[]> topic,
            Duration timeout) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.groupless(kafka.clientId("gan-trainer-label-probe")),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<PartitionInfo> infos;
            try {
                infos = consumer.partitionsFor(topic.name(), timeout);
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                throw new IllegalStateException("Cannot reach Kafka at " + kafka.bootstrapServers() + " within " + timeout
                        + " to look at " + topic.name() + " for --conditional auto; check --bootstrap-servers, or pass "
                        + "--conditional true or false.", e);
            }
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("The training topic " + topic.name() + " does not exist; create the "
                        + "pipeline's topics first (./gan broker or the compose topic-init service does it).");
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    return Optional.of(TrainImageHeaders.labelled(record.headers()));
                }
                if (consumer.endOffsets(partitions).entrySet().stream()
                        .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    return Optional.empty(); // read to the end: the topic is empty
                }
            }
            return Optional.empty();
        }
    }
}
