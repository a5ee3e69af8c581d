package dev.ganpipe.bench.chaos;

import dev.ganpipe.broker.cluster.BrokerProcess;
import dev.ganpipe.broker.cluster.LocalCluster;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.process.ProcessRun;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Scenario 5: one broker's data directory on a small tmpfs of its own. A tenth into the ingest a filler file leaves it
 * only a few MiB, so its next appends fail with "no space left" while it leads partitions; half-way the filler goes
 * and the broker is started again. Mounting needs root (Linux); without it the scenario says so and is skipped.
 */
final class FullLogDir implements IngestUnderFire.Fault {

    /** What is left free on the tmpfs once it is filled: a few segments' worth of images. */
    private static final long LEFT_FREE = 4L * 1024 * 1024;

    private final BrokerProcess victim;
    private final Path mount;
    private final Path filler;

    private FullLogDir(BrokerProcess victim) {
        this.victim = victim;
        this.mount = victim.dataDir();
        this.filler = mount.resolve("filler.bin");
    }

    /**
     * Moves node {@code nodeId}'s data onto a tmpfs mounted at its data directory (stopping and starting the node),
     * or says why it cannot; the caller unmounts {@link #mount()} once the cluster has stopped.
     */
    static FullLogDir prepare(LocalCluster cluster, int nodeId) throws IOException, InterruptedException {
        BrokerProcess node = cluster.node(nodeId);
        node.stop();
        Path dir = node.dataDir();
        Path aside = dir.resolveSibling(dir.getFileName() + ".disk");
        Files.move(dir, aside);
        Files.createDirectories(dir);
        long used = sizeOf(aside);
        long size = used + 64L * 1024 * 1024;
        ProcessRun mount = ProcessRun.of(new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString()),
                Duration.ofSeconds(30));
        if (!mount.succeeded()) {
            Files.delete(dir);
            Files.move(aside, dir);
            node.start();
            node.awaitReady(Duration.ofSeconds(180));
            throw new UnsupportedOperationException("Cannot mount a tmpfs at " + dir + " (" + mount.output().strip()
                    + "); scenario 5 needs root on Linux.");
        }
        copyTree(aside, dir);
        cluster.restart(nodeId);
        return new FullLogDir(node);
    }

    /** Where the tmpfs is mounted. */
    Path mount() {
        return mount;
    }

    @Override
    public List<Integer> strike(LocalCluster cluster, TopicCatalog topics, int round, List<String> observed) {
        if (round == 1) {
            List<String> led = new ArrayList<>();
            for (int p = 0; p < ChaosParts.PARTITIONS; p++) {
                if (cluster.leaderOf(topics.imagesRaw(), p) == victim.id()) {
                    led.add(topics.imagesRaw() + "-" + p);
                }
                if (cluster.leaderOf(topics.imagesTrain(), p) == victim.id()) {
                    led.add(topics.imagesTrain() + "-" + p);
                }
            }
            fill();
            observed.add("filled node " + victim.id() + "'s log dir (tmpfs) to " + LEFT_FREE / (1024 * 1024) + " MiB free while it led " + led);
            return List.of();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (victim.alive() && System.nanoTime() < deadline) {
            ChaosParts.sleep(Duration.ofMillis(200));
        }
        if (victim.alive()) {
            observed.add("node " + victim.id() + " was still running 120 s after the log dir filled up; killed it");
            victim.kill();
        } else {
            observed.add("node " + victim.id() + " stopped by itself: " + lastLogLine("log dir", "No space left"));
        }
        try {
            Files.deleteIfExists(filler);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the filler " + filler + ": " + e.getMessage(), e);
        }
        observed.add("filler removed, node " + victim.id() + " started again");
        return List.of(victim.id());
    }

    private void fill() {
        try (RandomAccessFile file = new RandomAccessFile(filler.toFile(), "rw")) {
            byte[] block = new byte[1024 * 1024];
            while (Files.getFileStore(mount).getUsableSpace() > LEFT_FREE + block.length) {
                file.write(block); // written, not sparse: a tmpfs counts only pages that hold data
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot fill " + mount + ": " + e.getMessage(), e);
        }
    }

    private String lastLogLine(String... any) {
        try (Stream<String> lines = Files.lines(mount.resolve("node.log"))) {
            return lines.filter(l -> Stream.of(any).anyMatch(l::contains)).reduce((a, b) -> b).map(l -> l.length() > 200 ? l.substring(0, 200) : l)
                    .orElse("no such line in its log");
        } catch (IOException e) {
            return "its log is unreadable: " + e.getMessage();
        }
    }

    /** Unmounts the tmpfs (the node must have stopped). */
    static void unmount(Path mount) throws IOException, InterruptedException {
        ProcessRun run = ProcessRun.of(new ProcessBuilder("umount", mount.toString()), Duration.ofSeconds(30));
        if (!run.succeeded()) {
            throw new IOException("Cannot unmount the tmpfs at " + mount + " (" + run.output().strip() + "); run 'umount " + mount + "'.");
        }
    }

    private static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
