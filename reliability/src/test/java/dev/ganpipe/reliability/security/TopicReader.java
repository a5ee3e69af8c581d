package dev.ganpipe.reliability.security;

import static org.awaitility.Awaitility.await;

import dev.ganpipe.common.kafka.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads what the services wrote, as the given client, the way every security test checks a topic. */
final class TopicReader {

    /** How long a test waits for records its services produce on a loaded machine. */
    static final Duration WAIT = Duration.ofSeconds(120);

    private TopicReader() {
    }

    /** Reads {@code topic} from the start, without a group, until {@code count} records (or more) are there. */
    static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaSettings settings, String topic, int count) {
        return readAll(settings, topic, r -> true, count);
    }

    /** As {@link #readAll(KafkaSettings, String, int)}, counting only the records {@code wanted} accepts. */
    static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaSettings settings, String topic,
            Predicate<ConsumerRecord<byte[], byte[]>> wanted, int count) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings.groupless("test-reader"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (wanted.test(r)) {
                        records.add(r);
                    }
                });
                return records.size() >= count;
            });
        }
        return records;
    }
}
