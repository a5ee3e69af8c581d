package dev.ganpipe.bench.chaos;

import dev.ganpipe.broker.cluster.LocalCluster;
import dev.ganpipe.common.config.CommandLine;
import dev.ganpipe.common.io.Folders;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ./gan bench chaos}: one cluster of three broker processes, and the scenarios of {@link ChaosBenchConfig#spec()}
 * run on it one after the other, each on topics of its own; every killed node is started again before the next.
 * Prints one {@code chaos <scenario> lost <n> duplicated <n> failed_requests <n>} line per scenario.
 */
public final class ChaosBench {

    private ChaosBench() {
    }

    /** Runs with the given arguments (a {@link dev.ganpipe.bench.Bench}); returns 0 when every scenario lost and duplicated nothing. */
    public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        CommandLine.Parsed<ChaosBenchConfig> parsed = CommandLine.of(ChaosBenchConfig.spec(), "gan bench chaos", 2)
                .parse(args, env, out, err, ChaosBenchConfig::from);
        if (parsed.done()) {
            return parsed.exitCode();
        }
        ChaosBenchConfig config = parsed.value();
        Path work = config.workDir().orElseGet(ChaosBench::tempDir);
        boolean clean = true;
        List<Path> mounts = new ArrayList<>();
        try (LocalCluster cluster = LocalCluster.start(work.resolve("cluster"), 3, 0)) {
            err.println("chaos: cluster of 3 broker processes at " + cluster.bootstrapServers() + " (data in " + work + ")");
            for (int scenario : config.scenarios()) {
                ChaosResult result = switch (scenario) {
                    case 1 -> IngestUnderFire.run("1-leader-kill", cluster, work, config, IngestUnderFire.LEADER_KILL, 1);
                    case 2 -> IngestUnderFire.run("2-controller-kill", cluster, work, config, IngestUnderFire.CONTROLLER_KILL, 2);
                    case 3 -> RollingRestart.run("3-rolling-restart", cluster, work, config, 3);
                    case 4 -> BelowMinIsr.run("4-below-min-isr", cluster, work, config, 4);
                    case 5 -> fullLogDir(cluster, work, config, mounts, err);
                    default -> throw new IllegalArgumentException("Scenario " + scenario + " does not exist.");
                };
                if (result == null) {
                    continue; // skipped, and said why
                }
                out.println(result.line());
                out.flush();
                clean &= result.lost() == 0 && result.duplicated() == 0 && result.failedRequests() == 0;
            }
        } catch (Exception e) {
            err.println("chaos: a scenario could not finish: " + e.getMessage());
            e.printStackTrace(err);
            return 1;
        } finally {
            clean &= unmountAll(mounts, err); // the cluster has stopped: nothing holds the tmpfs any more
            if (config.workDir().isEmpty()) {
                deleteRecursively(work);
            }
        }
        return clean ? 0 : 1;
    }

    /** Scenario 5 on node 3, or null (after saying why) where no tmpfs can be mounted. */
    private static ChaosResult fullLogDir(LocalCluster cluster, Path work, ChaosBenchConfig config, List<Path> mounts, PrintStream err)
            throws Exception {
        FullLogDir fault;
        try {
            fault = FullLogDir.prepare(cluster, 3);
        } catch (UnsupportedOperationException e) {
            err.println("chaos 5-full-log-dir skipped: " + e.getMessage());
            return null;
        }
        mounts.add(fault.mount());
        return IngestUnderFire.run("5-full-log-dir", cluster, work, config, fault, 5);
    }

    private static boolean unmountAll(List<Path> mounts, PrintStream err) {
        boolean unmounted = true;
        for (Path mount : mounts) {
            try {
                FullLogDir.unmount(mount);
            } catch (IOException e) {
                err.println("chaos: " + e.getMessage());
                unmounted = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                err.println("chaos: interrupted while unmounting " + mount + "; run 'umount " + mount + "'.");
                unmounted = false;
            }
        }
        return unmounted;
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("gan-chaos");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary folder for the cluster; pass --work-dir.", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try {
            Folders.deleteRecursively(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the chaos bench's folder " + dir + "; delete it by hand.", e);
        }
    }
}
