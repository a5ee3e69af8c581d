package dev.ganpipe.trainer.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
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
import java.util.function.UnaryOperator;

/**
 * {@code --profile}: where a training step's time goes on our side and on the PyTorch side, measured by PyTorch's
 * own profiler on both, plus two measurements that explain the difference: the fixed cost of one op through each
 * framework, and nearest-neighbour upsampling done as the trainer does it ({@code repeat_interleave} twice) versus
 * libtorch's {@code upsample_nearest2d} kernel, both through DJL.
 */
final class TrainerProfile {

    /** Steps recorded by the profiler on each side. */
    static final int PROFILED_STEPS = 3;
    private static final int MICRO_REPEATS = 8;
    private static final int TINY_OPS = 20_000;
    private static final int TOP_OPS = 8;

    private final BenchConfig config;
    private final PrintStream out;
    private final PrintStream log;

    TrainerProfile(BenchConfig config, PrintStream out, PrintStream log) {
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
            printUpsample(t);
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
                core.trainStep(batches.get(i % batches.size()), config.batch());
            }
            long t0;
            long wall;
            JniUtils.startProfile(false, false, false);
            try {
                t0 = System.nanoTime();
                for (int i = 0; i < PROFILED_STEPS; i++) {
                    core.trainStep(batches.get(i % batches.size()), config.batch());
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

    /**
     * Upsampling per step as the trainer computes it and with libtorch's kernel: every generator upsample runs once
     * without a graph (the fakes of the D half) and once with forward and backward (the G half).
     */
    private void printUpsample(Target t) {
        List<long[]> inputs = upsampleInputs(t.gan(), config.batch());
        JniUtils.setNumThreads(config.threads());
        out.printf(Locale.ROOT, "Upsampling in %s through DJL, ms, best of %d: the trainer's repeat_interleave on H then W "
                + "versus libtorch's upsample_nearest2d kernel (JniUtils.interpolate, mode 0)%n%n", t.arch(), MICRO_REPEATS);
        out.println("| input | repeat, forward without graph | repeat, forward+backward | nearest2d, forward without graph "
                + "| nearest2d, forward+backward | same values and gradients |");
        out.println("|---|---:|---:|---:|---:|---|");
        double repeatTotal = 0;
        double nearestTotal = 0;
        double mixedTotal = 0;
        for (long[] shape : inputs) {
            UnaryOperator<NDArray> repeat = x -> x.repeat(2, 2).repeat(3, 2);
            UnaryOperator<NDArray> nearest = x -> JniUtils.interpolate((PtNDArray) x, new long[] {shape[2] * 2, shape[3] * 2}, 0, false);
            double[] r = timeUpsample(shape, repeat);
            double[] n = timeUpsample(shape, nearest);
            boolean same = sameResults(shape, repeat, nearest);
            repeatTotal += r[0] + r[1];
            nearestTotal += n[0] + n[1];
            mixedTotal += Math.min(r[0], n[0]) + Math.min(r[1], n[1]);
            out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f | %s |%n", new Shape(shape), r[0], r[1], n[0], n[1], same ? "yes" : "NO");
        }
        double saving = repeatTotal - mixedTotal;
        double step = t.memory().medianStepMs();
        double projected = config.batch() / (Math.max(1, step - saving) / 1000);
        out.printf(Locale.ROOT, "%nPer step every upsample runs once without a graph (the D half's fakes) and once forward+backward "
                + "(the G half): %.0f ms as the trainer does it, %.0f ms with upsample_nearest2d throughout, %.0f ms taking the "
                + "faster of the two for each use. That saves %.0f ms of the %.0f ms median step (%.0f%%): about %.0f images/s "
                + "instead of %.1f", repeatTotal, nearestTotal, mixedTotal, saving, step, 100 * saving / step, projected,
                t.memory().imagesPerSecond());
        t.pytorch().ifPresent(p -> out.printf(Locale.ROOT, ", %.2fx PyTorch instead of %.2fx", projected / p.imagesPerSecond(),
                t.memory().imagesPerSecond() / p.imagesPerSecond()));
        out.println(" (micro-benchmarks on a busy machine: read the direction, not the digits).");
        out.println();
    }

    /** Best {fwd without graph, fwd+bwd} in ms; the backward gets a gradient of ones, as the loss's chain would give. */
    private static double[] timeUpsample(long[] shape, UnaryOperator<NDArray> op) {
        Engine engine = Engine.getEngine(MachineInfo.ENGINE);
        JniUtils.setGradMode(false);
        double fwd = Double.MAX_VALUE;
        double both = Double.MAX_VALUE;
        try (NDManager manager = NDManager.newBaseManager(MachineInfo.ENGINE)) {
            NDArray x = manager.randomNormal(new Shape(shape));
            x.setRequiresGradient(true);
            for (int i = 0; i <= MICRO_REPEATS; i++) { // the first round warms up
                try (NDManager scope = manager.newSubManager()) {
                    long t0 = System.nanoTime();
                    NDArray y = op.apply(x);
                    y.attach(scope);
                    y.getFloat(0, 0, 0, 0);
                    long t1 = System.nanoTime();
                    try (GradientCollector collector = engine.newGradientCollector()) {
                        NDArray z = op.apply(x);
                        z.attach(scope);
                        collector.backward(z);
                    }
                    try (NDArray grad = x.getGradient()) {
                        grad.getFloat(0, 0, 0, 0);
                    }
                    long t2 = System.nanoTime();
                    JniUtils.zeroGrad((PtNDArray) x);
                    if (i > 0) {
                        fwd = Math.min(fwd, (t1 - t0) / 1e6);
                        both = Math.min(both, (t2 - t1) / 1e6);
                    }
                }
            }
        }
        return new double[] {fwd, both};
    }

    /** Whether both ways give the same output and the same input gradient for a random upstream gradient. */
    private static boolean sameResults(long[] shape, UnaryOperator<NDArray> a, UnaryOperator<NDArray> b) {
        Engine engine = Engine.getEngine(MachineInfo.ENGINE);
        JniUtils.setGradMode(false);
        try (NDManager manager = NDManager.newBaseManager(MachineInfo.ENGINE)) {
            NDArray x = manager.randomNormal(new Shape(shape));
            NDArray upstream = manager.randomNormal(new Shape(shape[0], shape[1], shape[2] * 2, shape[3] * 2));
            x.setRequiresGradient(true);
            NDArray ya;
            NDArray ga;
            try (GradientCollector collector = engine.newGradientCollector()) {
                ya = a.apply(x);
                collector.backward(ya.mul(upstream).sum());
            }
            ga = x.getGradient().duplicate();
            JniUtils.zeroGrad((PtNDArray) x);
            NDArray yb;
            try (GradientCollector collector = engine.newGradientCollector()) {
                yb = b.apply(x);
                collector.backward(yb.mul(upstream).sum());
            }
            NDArray gb = x.getGradient();
            return ya.eq(yb).all().getBoolean() && ga.sub(gb).abs().max().getFloat() <= 1e-5f;
        }
    }

    /** Shapes entering the generator's upsampling layers (see DcganModels.generator). */
    static List<long[]> upsampleInputs(GanConfig gan, int batch) {
        int w = gan.generatorWidth();
        int start = gan.imageSize() == 28 ? 7 : 4;
        int[] widths = gan.imageSize() == 28 ? new int[] {2 * w, w} : new int[] {8 * w, 4 * w, 2 * w, w};
        List<long[]> shapes = new ArrayList<>();
        int size = start;
        for (int width : widths) {
            shapes.add(new long[] {batch, width, size, size});
            size *= 2;
        }
        return shapes;
    }
}
