package dev.ganpipe.trainer;

import dev.ganpipe.broker.TestBroker;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.kafka.TopicSetup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The pipeline's topics under a name of one test's own, so that tests sharing a broker never read each other's
 * records, and what a test reads back from them.
 */
final class TestTopics {

    private TestTopics() {
    }

    /** Every topic of the default catalog, named {@code prefix.<default name>}. */
    static TopicCatalog prefixed(String prefix) {
        TopicCatalog d = TopicCatalog.defaults();
        return new TopicCatalog(prefix + "." + d.imagesRaw(), prefix + "." + d.imagesTrain(), prefix + "." + d.imagesDlq(),
                prefix + "." + d.modelsGenerator(), prefix + "." + d.syntheticRequests(), prefix + "." + d.syntheticImages());
    }

    /** {@link #prefixed} topics, created on {@code kafka} with one partition each. */
    static TopicCatalog created(TestBroker kafka, String prefix) {
        TopicCatalog topics = prefixed(prefix);
        try (Admin admin = Admin.create(KafkaSettings.of(kafka.bootstrapServers()).admin("test"))) {
            TopicSetup.ensure(admin, topics, 1, (short) 1);
        }
        return topics;
    }

    /** Every record on partition 0 of the models topic, oldest first, as far as it reaches now. */
    static List<ConsumerRecord<String, byte[]>> publishedModels(TestBroker kafka, TopicCatalog topics) {
        KafkaSettings settings = KafkaSettings.of(kafka.bootstrapServers());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings.groupless("test"),
                topics.models().keySerde().deserializer(), topics.models().valueSerde().deserializer())) {
            TopicPartition tp = new TopicPartition(topics.modelsGenerator(), 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            while (consumer.position(tp) < end) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            return records;
        }
    }
}
