package dev.ganpipe.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;

/**
 * The nodes of one KRaft cluster of combined broker+controller nodes on localhost, each with its broker and controller
 * port: what every member must agree on (the static {@code controller.quorum.voters} and the cluster id).
 *
 * @param clusterId the id every member's storage is formatted with; empty for a single broker, which picks its own
 * @param nodes the members, in node-id order
 */
public record KraftQuorum(Optional<String> clusterId, List<Node> nodes) {

    /** One member: its node id and ports. */
    public record Node(int id, int brokerPort, int controllerPort) {
        public Node {
            if (id < 0) {
                throw new IllegalArgumentException("A node id must be 0 or more, not " + id + ".");
            }
        }

        /** {@code localhost:<brokerPort>}. */
        public String bootstrapServer() {
            return "localhost:" + brokerPort;
        }
    }

    public KraftQuorum {
        Objects.requireNonNull(clusterId, "The cluster id is required (empty for a single broker).");
        nodes = List.copyOf(nodes);
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("A cluster needs at least one node.");
        }
        if (nodes.size() > 1 && clusterId.isEmpty()) {
            throw new IllegalArgumentException("The members of a cluster of " + nodes.size() + " must share a cluster id; pass one.");
        }
    }

    /** A single broker: one voter, a cluster id of its own. */
    static KraftQuorum single(int nodeId, int brokerPort, int controllerPort) {
        return new KraftQuorum(Optional.empty(), List.of(new Node(nodeId, brokerPort, controllerPort)));
    }

    /**
     * {@code count} nodes with ids 1 to {@code count} and a new cluster id: broker ports from {@code firstBrokerPort} up,
     * or free ports when it is 0; controller ports always free ones.
     */
    public static KraftQuorum onLocalhost(int count, int firstBrokerPort) {
        if (count < 1) {
            throw new IllegalArgumentException("A cluster needs at least one broker, not " + count + ".");
        }
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int brokerPort = firstBrokerPort == 0 ? LocalPorts.free() : firstBrokerPort + i;
            nodes.add(new Node(i + 1, brokerPort, LocalPorts.free()));
        }
        return new KraftQuorum(Optional.of(Uuid.randomUuid().toString()), nodes);
    }

    /** The node with this id. */
    public Node node(int id) {
        return nodes.stream().filter(n -> n.id() == id).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "Node " + id + " is not a member of this cluster; its members are " + nodes.stream().map(Node::id).toList() + "."));
    }

    /** {@code controller.quorum.voters}: {@code id@localhost:controllerPort,...}. */
    public String voters() {
        return nodes.stream().map(n -> n.id() + "@localhost:" + n.controllerPort()).collect(Collectors.joining(","));
    }

    /** Every broker's {@code localhost:port}, comma-separated: what clients bootstrap from. */
    public String bootstrapServers() {
        return nodes.stream().map(Node::bootstrapServer).collect(Collectors.joining(","));
    }

    /** Replicas of every topic: one per broker, at most three. */
    public short replication() {
        return (short) Math.min(3, nodes.size());
    }

    /** With three replicas, a write must reach two of them; with fewer, one. */
    public int minInsyncReplicas() {
        return replication() >= 3 ? 2 : 1;
    }

    /** The nodes as {@code id:brokerPort:controllerPort,...}, which {@link #parse} reads back: how a parent tells a node process. */
    public String nodesArgument() {
        return nodes.stream().map(n -> n.id() + ":" + n.brokerPort() + ":" + n.controllerPort()).collect(Collectors.joining(","));
    }

    /** Reads {@link #nodesArgument()}. */
    public static KraftQuorum parse(String clusterId, String nodesArgument) {
        List<Node> nodes = new ArrayList<>();
        for (String node : nodesArgument.split(",")) {
            String[] parts = node.trim().split(":");
            if (parts.length != 3) {
                throw new IllegalArgumentException("A cluster node is written id:brokerPort:controllerPort, e.g. 1:9092:19092, not '" + node + "'.");
            }
            try {
                nodes.add(new Node(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2])));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("A cluster node is written id:brokerPort:controllerPort with numbers, e.g. 1:9092:19092, not '"
                        + node + "'.", e);
            }
        }
        return new KraftQuorum(Optional.of(clusterId), nodes);
    }
}
