package dev.ganpipe.launcher;

import dev.ganpipe.broker.EmbeddedKafka;
import dev.ganpipe.common.ServiceMain;
import dev.ganpipe.common.config.ConfigSpec;
import dev.ganpipe.common.config.ConfigValues;
import dev.ganpipe.common.config.KafkaOptions;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.kafka.TopicSetup;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;

/** {@code gan broker}: a real single-node KRaft broker with the pipeline's topics, until Ctrl-C. */
final class BrokerCommand {

    private BrokerCommand() {
    }

    static ConfigSpec spec() {
        return new ConfigSpec("gan broker", "Starts a real single-node Kafka broker (KRaft) in this process and creates the pipeline's topics.")
                .addAll(KafkaOptions.topicsSpec())
                .add("port", "9092", "Broker port.")
                .add("data-dir", ".gan/kafka", "Broker data directory (kept across restarts).")
                .add("partitions", "3", "Partitions of each image topic (the models topic always has one).");
    }

    static int run(List<String> args) {
        return ServiceMain.run(spec(), args, v -> start(v));
    }

    private static EmbeddedKafka start(ConfigValues v) {
        EmbeddedKafka kafka = EmbeddedKafka.start(Path.of(v.string("data-dir")), v.integer("port"));
        createTopics(kafka, KafkaOptions.topics(v), v.integer("partitions"));
        System.out.println("Kafka broker ready at " + kafka.bootstrapServers() + " (data in " + v.string("data-dir") + "); Ctrl-C stops it.");
        return kafka;
    }

    static void createTopics(EmbeddedKafka kafka, TopicCatalog topics, int partitions) {
        try (Admin admin = Admin.create(KafkaSettings.of(kafka.bootstrapServers()).admin("gan-topic-setup"))) {
            TopicSetup.ensure(admin, topics, partitions, (short) 1);
        }
    }
}
