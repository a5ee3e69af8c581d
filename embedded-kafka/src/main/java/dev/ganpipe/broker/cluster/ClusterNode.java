package dev.ganpipe.broker.cluster;

import dev.ganpipe.broker.EmbeddedKafka;
import dev.ganpipe.broker.KraftQuorum;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The main class of one cluster node process: {@code ClusterNode <data-dir> <node-id> <cluster-id> <nodes>} (nodes as
 * {@link KraftQuorum#nodesArgument()}). It writes {@value #READY_FILE} into its data directory once clients can use it,
 * and stops when its standard input ends (the parent went away, even by SIGKILL) or on SIGTERM.
 */
public final class ClusterNode {

    /** util-linux's setsid, which runs a program in a new session (and so a new process group), then execs it. */
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    /** The file a node writes in its data directory once it serves clients. */
    public static final String READY_FILE = "node.ready";

    private ClusterNode() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("Usage: ClusterNode <data-dir> <node-id> <cluster-id> <id:brokerPort:controllerPort,...>");
            System.exit(2);
        }
        Path dataDir = Path.of(args[0]);
        int nodeId = Integer.parseInt(args[1]);
        KraftQuorum quorum = KraftQuorum.parse(args[2], args[3]);
        // Watched from the start: a parent that dies while this node waits for its peers must not leave it behind.
        Thread parentWatch = Thread.ofPlatform().name("cluster-node-" + nodeId + "-parent-watch").daemon(true).start(() -> {
            awaitEndOf(System.in);
            System.exit(0); // the shutdown hook below stops the broker, once it has started
        });
        EmbeddedKafka kafka = EmbeddedKafka.builder(dataDir).member(quorum, nodeId).start();
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "cluster-node-" + nodeId + "-shutdown"));
        Files.writeString(dataDir.resolve(READY_FILE), Long.toString(ProcessHandle.current().pid()));
        try {
            parentWatch.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kafka.close();
        }
    }

    /** Blocks until the parent closes the pipe: a node never outlives the process that started it. */
    private static void awaitEndOf(InputStream in) {
        byte[] ignored = new byte[256];
        try {
            while (in.read(ignored) >= 0) {
                // nothing is expected on stdin; reading only notices its end
            }
        } catch (IOException e) {
            System.err.println("Standard input of this Kafka node failed (" + e.getMessage() + "); stopping as if the parent had gone.");
        }
    }

    /** The command line of node {@code nodeId}, run with this JVM's java and class path. */
    static List<String> command(Path dataDir, int nodeId, KraftQuorum quorum, List<String> jvmOptions) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>();
        // A session of its own: Ctrl-C in a terminal signals the whole foreground process group, and a node that stopped
        // with it would leave the parent's services without a cluster while they shut down. The parent stops its nodes
        // last (SIGTERM), and a node also stops when the parent's pipe closes.
        if (Files.isExecutable(SETSID)) {
            command.add(SETSID.toString());
        }
        command.add(java);
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ClusterNode.class.getName(), dataDir.toString(),
                Integer.toString(nodeId), quorum.clusterId().orElseThrow(), quorum.nodesArgument()));
        return command;
    }
}
