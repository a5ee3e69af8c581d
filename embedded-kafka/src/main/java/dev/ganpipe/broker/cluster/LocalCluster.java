package dev.ganpipe.broker.cluster;

import dev.ganpipe.broker.KraftQuorum;
import dev.ganpipe.common.Service;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A KRaft cluster of combined broker+controller nodes on localhost, each a {@link BrokerProcess}. The layout (cluster
 * id, ports) is kept in {@value #LAYOUT_FILE} in the cluster's directory, so starting again on the same directory
 * brings back the same cluster with its data.
 */
public final class LocalCluster implements Service {

    private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);
    /** The file that keeps the cluster id and the nodes' ports. */
    static final String LAYOUT_FILE = "cluster.layout";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private final KraftQuorum quorum;
    private final List<BrokerProcess> nodes;
    private final Admin admin;
    private volatile boolean closed;

    private LocalCluster(KraftQuorum quorum, List<BrokerProcess> nodes) {
        this.quorum = quorum;
        this.nodes = List.copyOf(nodes);
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, quorum.bootstrapServers());
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "local-cluster");
        this.admin = Admin.create(props);
    }

    /**
     * Starts {@code brokers} nodes with data under {@code dir} ({@code node-<id>} each) and returns once every one
     * serves clients. Broker ports count up from {@code firstBrokerPort}, or are free ones when it is 0; a directory
     * that held a cluster before keeps its layout and data.
     */
    public static LocalCluster start(Path dir, int brokers, int firstBrokerPort) {
        KraftQuorum quorum = layout(dir, brokers, firstBrokerPort);
        List<BrokerProcess> nodes = new ArrayList<>();
        for (KraftQuorum.Node node : quorum.nodes()) {
            nodes.add(new BrokerProcess(quorum, node.id(), dir.resolve("node-" + node.id())));
        }
        LocalCluster cluster = new LocalCluster(quorum, nodes);
        try {
            nodes.forEach(BrokerProcess::start); // together: each waits for a majority of controllers
            nodes.forEach(n -> n.awaitReady(START_TIMEOUT));
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        LOG.info("Kafka cluster of {} nodes ready at {} (data in {})", brokers, quorum.bootstrapServers(), dir);
        return cluster;
    }

    private static KraftQuorum layout(Path dir, int brokers, int firstBrokerPort) {
        Path file = dir.resolve(LAYOUT_FILE);
        try {
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                KraftQuorum kept = KraftQuorum.parse(lines.get(0).trim(), lines.get(1).trim());
                if (kept.nodes().size() != brokers) {
                    throw new IllegalStateException("The cluster in " + dir + " has " + kept.nodes().size() + " brokers, not " + brokers
                            + "; pass --brokers " + kept.nodes().size() + " or choose another data directory.");
                }
                return kept;
            }
            KraftQuorum quorum = KraftQuorum.onLocalhost(brokers, firstBrokerPort);
            Files.createDirectories(dir);
            Files.writeString(file, quorum.clusterId().orElseThrow() + "\n" + quorum.nodesArgument() + "\n", StandardCharsets.UTF_8);
            return quorum;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or write the cluster layout " + file + "; check the directory's permissions.", e);
        }
    }

    /** Every broker's {@code localhost:port}: clients bootstrap from all of them, so any one may be down. */
    public String bootstrapServers() {
        return quorum.bootstrapServers();
    }

    /** The cluster's members and ports. */
    public KraftQuorum quorum() {
        return quorum;
    }

    /** Node {@code id}. */
    public BrokerProcess node(int id) {
        return nodes.stream().filter(n -> n.id() == id).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "Node " + id + " is not a member of this cluster; its members are " + nodes.stream().map(BrokerProcess::id).toList() + "."));
    }

    /** Every node. */
    public List<BrokerProcess> nodes() {
        return nodes;
    }

    /** SIGKILLs node {@code id} and returns once its process is gone. */
    public void kill(int id) {
        node(id).kill();
        LOG.info("Kafka node {} killed (SIGKILL)", id);
    }

    /** Starts node {@code id} again on its data directory and ports, and returns once it serves clients. */
    public void restart(int id) {
        BrokerProcess node = node(id);
        node.start();
        node.awaitReady(START_TIMEOUT);
        LOG.info("Kafka node {} started again", id);
    }

    /** The node that leads {@code topic}'s partition, or -1 while it has none. */
    public int leaderOf(String topic, int partition) {
        Node leader = partitionInfo(topic, partition).leader();
        return leader == null || leader.isEmpty() ? -1 : leader.id();
    }

    /** The in-sync replicas of {@code topic}'s partition. */
    public List<Integer> inSyncReplicas(String topic, int partition) {
        return partitionInfo(topic, partition).isr().stream().map(Node::id).toList();
    }

    /** The active controller: the leader of the metadata quorum. */
    public int activeController() {
        try {
            return admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS).leaderId();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("The cluster did not say which controller is active: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while asking for the active controller.", e);
        }
    }

    /** Whether every partition of {@code topics} has all its replicas in sync. */
    public boolean fullyReplicated(Collection<String> topics) {
        return describe(topics).values().stream().flatMap(d -> d.partitions().stream())
                .allMatch(p -> p.leader() != null && !p.leader().isEmpty() && p.isr().size() == p.replicas().size());
    }

    private TopicPartitionInfo partitionInfo(String topic, int partition) {
        return describe(List.of(topic)).get(topic).partitions().stream().filter(p -> p.partition() == partition).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Topic " + topic + " has no partition " + partition + "."));
    }

    private Map<String, TopicDescription> describe(Collection<String> topics) {
        try {
            return admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("The cluster did not describe " + topics + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while describing " + topics + ".", e);
        }
    }

    @Override
    public String name() {
        return "kafka-cluster";
    }

    /** Stops every node with SIGTERM, in parallel: a node alone cannot finish its controlled shutdown without a quorum. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        admin.close(Duration.ofSeconds(5));
        List<Thread> stopping = nodes.stream().map(n -> Thread.ofPlatform().name("stop-node-" + n.id()).start(n::stop)).toList();
        for (Thread t : stopping) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                nodes.forEach(BrokerProcess::kill);
                return;
            }
        }
        LOG.info("Kafka cluster at {} stopped", bootstrapServers());
    }
}
