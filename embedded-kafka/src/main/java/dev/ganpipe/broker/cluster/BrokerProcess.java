package dev.ganpipe.broker.cluster;

import dev.ganpipe.broker.KraftQuorum;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One cluster node in a process of its own, on its own data directory and ports, which stay the same across
 * {@link #kill()} and {@link #start()}. Its output goes to {@code node.log} in its data directory.
 */
public final class BrokerProcess {

    /** Enough heap for 64 MiB model records; the serial collector keeps three brokers light on a small machine. */
    static final List<String> JVM_OPTIONS = List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private final KraftQuorum.Node node;
    private final KraftQuorum quorum;
    private final Path dataDir;
    private Process process;

    BrokerProcess(KraftQuorum quorum, int nodeId, Path dataDir) {
        this.quorum = quorum;
        this.node = quorum.node(nodeId);
        this.dataDir = dataDir;
    }

    /** The node id. */
    public int id() {
        return node.id();
    }

    /** {@code localhost:<port>} of this node alone. */
    public String bootstrapServer() {
        return node.bootstrapServer();
    }

    /** Its data directory. */
    public Path dataDir() {
        return dataDir;
    }

    /** Whether its process runs. */
    public synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    /** Starts the process (not yet waiting for it: see {@link #awaitReady}); a node that runs already is left alone. */
    public synchronized void start() {
        if (alive()) {
            return;
        }
        try {
            Files.createDirectories(dataDir);
            Files.deleteIfExists(dataDir.resolve(ClusterNode.READY_FILE));
            Path log = dataDir.resolve("node.log");
            process = new ProcessBuilder(ClusterNode.command(dataDir, node.id(), quorum, JVM_OPTIONS))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start Kafka node " + node.id() + " in " + dataDir + "; check that the directory is writable.", e);
        }
    }

    /** Waits until the node serves clients. */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(dataDir.resolve(ClusterNode.READY_FILE))) {
            if (!alive()) {
                throw new IllegalStateException("Kafka node " + node.id() + " exited while starting; its log says:\n" + logTail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Kafka node " + node.id() + " did not start within " + timeout.toSeconds()
                        + " s (a node waits for a majority of the cluster); its log ends with:\n" + logTail());
            }
            sleep(Duration.ofMillis(100));
        }
    }

    /** SIGKILL, as a crash or the OOM killer: no shutdown, no flush. Returns once the process is gone. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
    }

    /** SIGTERM: a controlled shutdown that hands leadership over first. Returns once the process is gone. */
    public synchronized void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        awaitExit(Duration.ofSeconds(30));
    }

    private void awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("Kafka node " + node.id() + " (pid " + process.pid() + ") did not exit within "
                        + timeout.toSeconds() + " s of being stopped; kill it by its pid.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Kafka node " + node.id() + " to exit.", e);
        }
    }

    /** The last lines of its log, for error messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("node.log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a Kafka node.", e);
        }
    }
}
