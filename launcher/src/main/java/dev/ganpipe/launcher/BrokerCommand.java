package dev.ganpipe.launcher;

import dev.ganpipe.broker.EmbeddedKafka;
import dev.ganpipe.broker.cluster.LocalCluster;
import dev.ganpipe.common.Service;
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

/**
 * {@code gan broker}: a real KRaft broker with the pipeline's topics, until Ctrl-C: one in this process, or with
 * {@code --brokers 3} a cluster of three node processes whose topics have three replicas and {@code min.insync.replicas=2}.
 */
final class BrokerCommand {

    private BrokerCommand() {
    }

    static ConfigSpec spec() {
        return new ConfigSpec("gan broker", "Starts a real Kafka broker (KRaft) in this process, or a cluster of brokers each in a "
                + "process of its own, and creates the pipeline's topics.")
                .addAll(KafkaOptions.topicsSpec())
                .add("port", "9092", "Broker port; a cluster's brokers take this one and the next ones (9092, 9093, 9094).")
                .add("brokers", "1", "Number of brokers: 1 runs in this process; more run as separate processes (combined "
                        + "broker+controller nodes), and topics get min(3, brokers) replicas.")
                .add("data-dir", ".gan/kafka", "Broker data directory (kept across restarts); a cluster keeps node-1, node-2, ... in it.")
                .add("partitions", "3", "Partitions of each image topic (the models topic always has one).");
    }

    static int run(List<String> args) {
        return ServiceMain.run(spec(), args, v -> start(v));
    }

    private static Service start(ConfigValues v) {
        Brokers brokers = Brokers.start(Path.of(v.string("data-dir")), v.integer("port"), v.integer("brokers"));
        try {
            createTopics(brokers, KafkaOptions.topics(v), v.integer("partitions"));
        } catch (RuntimeException e) {
            brokers.service().close();
            throw e;
        }
        System.out.println("Kafka " + (v.integer("brokers") == 1 ? "broker" : "cluster of " + v.integer("brokers") + " brokers")
                + " ready at " + brokers.bootstrapServers() + " (data in " + v.string("data-dir") + "); Ctrl-C stops it.");
        return brokers.service();
    }

    /** Running brokers: what stops them, where clients find them, and how many replicas a topic gets. */
    record Brokers(Service service, String bootstrapServers, short replication) {

        /** One broker in this process, or a cluster of {@code count} node processes. */
        static Brokers start(Path dataDir, int port, int count) {
            if (count < 1) {
                throw new IllegalArgumentException("--brokers must be 1 or more, not " + count + ".");
            }
            if (count == 1) {
                EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, port);
                return new Brokers(kafka, kafka.bootstrapServers(), (short) 1);
            }
            LocalCluster cluster = LocalCluster.start(dataDir, count, port);
            return new Brokers(cluster, cluster.bootstrapServers(), cluster.quorum().replication());
        }
    }

    static void createTopics(Brokers brokers, TopicCatalog topics, int partitions) {
        try (Admin admin = Admin.create(KafkaSettings.of(brokers.bootstrapServers()).admin("gan-topic-setup"))) {
            TopicSetup.ensure(admin, topics, partitions, brokers.replication());
        }
    }
}
