package dev.ganpipe.bench.trainer;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ganpipe.trainer.gan.GanConfig;
import dev.ganpipe.trainer.gan.GanTrainingCore;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code --profile}: where a training step's time goes on our side and on the PyTorch side, measured by PyTorch's
 * own profiler on both, plus the fixed cost of one op through each framework. (The upsampling micro-benchmark that
 * used to follow is gone with the upsampling itself: the generator computes each upsample + convolution pair as
 * four 2x2 convolutions, and the table's rows show what that costs.)
 */
final class TrainerProfile {

    /** Steps recorded by the profiler on each side. */
    static final int PROFILED_STEPS = 3;
    private static final int TINY_OPS = 20_000;
    private static final int TOP_OPS = 8;

    private final TrainerBenchConfig config;
    private final PrintStream out;
    private final PrintStream log;

    TrainerProfile(TrainerBenchConfig config, PrintStream out, PrintStream log) {
        this.config = config;
        this.out = out;
        this.log = log;
    }

    /** One model to profile, with its in-memory step time from the main table. */
    record Target(String arch, GanConfig gan, BenchImages images, Throughput memory, Optional<Throughput> pytorch) {
    }

    void run(List<Target> targets, Optional<PyTorchReference> reference) {
        double tinyOurs = tinyOpMicros();
        for (Target t : targets) {
            log.println("Profiling " + t.arch() + " ...");
            OpProfile ours = profileOurs(t.gan(), t.images());
            Optional<ReferenceProfile> theirs = reference.flatMap(r -> profileReference(r, t));
            printProfile(t, ours, theirs.map(ReferenceProfile::ops), tinyOurs, theirs.map(ReferenceProfile::tinyOpMicros), reference);
        }
    }

    /** The reference's per-op profile and its cost of one tiny op. */
    private record ReferenceProfile(OpProfile ops, double tinyOpMicros) {
    }

    private Optional<ReferenceProfile> profileReference(PyTorchReference reference, Target t) {
        try {
            JsonNode r = reference.run(t.arch(), config.batch(), config.threads(), t.gan(), config.warmupSteps(),
                    Duration.ofSeconds(1), List.of("--profile", "--profile-steps", Integer.toString(PROFILED_STEPS)), log);
            JsonNode profile = r.path("profile");
            return Optional.of(new ReferenceProfile(OpProfile.fromReference(profile), profile.path("tiny_op_us").asDouble()));
        } catch (RuntimeException e) {
            log.println("Profiling the PyTorch reference for " + t.arch() + " failed: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Our step under libtorch's profiler, read back from the Chrome trace it writes. */
    OpProfile profileOurs(GanConfig gan, BenchImages images) {
        List<float[]> batches = images.batches(TrainerBench.MEMORY_BATCHES, config.batch());
        Path trace;
        try {
            trace = Files.createTempFile("gan-bench-trace-", ".json");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temp file for the profiler trace; check the temp folder's free space.", e);
        }
        try (GanTrainingCore core = new GanTrainingCore(gan)) {
            for (int i = 0; i < Math.max(2, config.warmupSteps()); i++) {
                core.trainStep(batches.get(i % batches.size()), null, config.batch());
            }
            long t0;
            long wall;
            JniUtils.startProfile(false, false, false);
            try {
                t0 = System.nanoTime();
                for (int i = 0; i < PROFILED_STEPS; i++) {
                    core.trainStep(batches.get(i % batches.size()), null, config.batch());
                }
                wall = System.nanoTime() - t0;
            } finally {
                JniUtils.stopProfile(trace.toString()); // also when a step failed: a profiler left on slows every op after
            }
            return OpProfile.fromChromeTrace(trace, PROFILED_STEPS, wall / 1e6 / PROFILED_STEPS);
        } finally {
            try {
                Files.deleteIfExists(trace);
            } catch (IOException e) {
                log.println("Warning: could not delete the profiler trace " + trace + " (" + e.getMessage() + "); delete it by hand.");
            }
        }
    }

    /** Microseconds per tiny op (adding two one-element arrays) through DJL: the fixed cost of any op we call. */
    double tinyOpMicros() {
        Engine.getEngine(MachineInfo.ENGINE);
        JniUtils.setGradMode(false);
        double best = Double.MAX_VALUE;
        try (NDManager manager = NDManager.newBaseManager(MachineInfo.ENGINE)) {
            NDArray a = manager.create(new float[] {1f});
            NDArray b = manager.create(new float[] {2f});
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                for (int done = 0; done < TINY_OPS; done += 1000) {
                    try (NDManager scope = manager.newSubManager()) {
                        for (int i = 0; i < 1000; i++) {
                            a.add(b).attach(scope);
                        }
                    }
                }
                best = Math.min(best, (System.nanoTime() - t0) / 1e3 / TINY_OPS);
            }
        }
        return best;
    }

    private void printProfile(Target t, OpProfile ours, Optional<OpProfile> theirs, double tinyOurs, Optional<Double> tinyTheirs,
            Optional<PyTorchReference> reference) {
        String peer = reference.map(r -> "PyTorch " + r.torchVersion()).orElse("PyTorch (not run)");
        out.printf(Locale.ROOT, "### Where the time goes: %s, batch %d, %d threads (PyTorch's profiler, %d steps each side)%n%n",
                t.arch(), config.batch(), config.threads(), PROFILED_STEPS);
        out.println("| ms per step | trainer (DJL, libtorch) | " + peer + " | trainer minus PyTorch |");
        out.println("|---|---:|---:|---:|");
        row("wall time while profiled", ours.wallMs(), theirs.map(OpProfile::wallMs));
        row("inside libtorch ops", ours.insideOpsMs(), theirs.map(OpProfile::insideOpsMs));
        row("outside ops (Java, JNI, DJL / Python; profiler overhead included)", ours.wallMs() - ours.insideOpsMs(),
                theirs.map(p -> p.wallMs() - p.insideOpsMs()));
        row("framework cost estimate: top-level ops x one tiny op", ours.topLevelOps() * tinyOurs / 1000,
                theirs.flatMap(p -> tinyTheirs.map(tiny -> p.topLevelOps() * tiny / 1000)));
        row("convolutions, forward and backward", ours.convolutionMs(), theirs.map(OpProfile::convolutionMs));
        row("nearest upsampling, forward and backward", ours.upsampleMs(), theirs.map(OpProfile::upsampleMs));
        row("batch norm, forward and backward", ours.batchNormMs(), theirs.map(OpProfile::batchNormMs));
        row("linear layers (mm)", ours.linearMs(), theirs.map(OpProfile::linearMs));
        row("other ops (element-wise, Adam, loss, copies)", ours.otherOpsMs(), theirs.map(OpProfile::otherOpsMs));
        out.printf(Locale.ROOT, "| top-level ops per step (calls into libtorch) | %.0f | %s | |%n", ours.topLevelOps(),
                theirs.map(p -> String.format(Locale.ROOT, "%.0f", p.topLevelOps())).orElse("-"));
        out.printf(Locale.ROOT, "| one tiny op (1-element add), microseconds | %.1f | %s | |%n", tinyOurs,
                tinyTheirs.map(v -> String.format(Locale.ROOT, "%.1f", v)).orElse("-"));
        out.println();
        out.println("Top ops by self time, ms per step (calls per step):");
        out.println();
        out.println("- trainer: " + topOps(ours));
        theirs.ifPresent(p -> out.println("- PyTorch: " + topOps(p)));
        out.println();
    }

    private void row(String what, double ours, Optional<Double> theirs) {
        out.printf(Locale.ROOT, "| %s | %.0f | %s | %s |%n", what, ours,
                theirs.map(v -> String.format(Locale.ROOT, "%.0f", v)).orElse("-"),
                theirs.map(v -> String.format(Locale.ROOT, "%+.0f", ours - v)).orElse("-"));
    }

    private static String topOps(OpProfile p) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, OpProfile.OpTime> e : p.top(TOP_OPS)) {
            parts.add(String.format(Locale.ROOT, "%s %.0f (%.0f)", e.getKey().replace("autograd::engine::evaluate_function: ", "bw:"),
                    e.getValue().selfMs(), e.getValue().calls()));
        }
        return String.join(", ", parts);
    }
}
