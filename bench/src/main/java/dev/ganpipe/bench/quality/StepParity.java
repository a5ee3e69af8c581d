package dev.ganpipe.bench.quality;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ganpipe.common.Json;
import dev.ganpipe.common.config.CommandLine;
import dev.ganpipe.common.config.ConfigException;
import dev.ganpipe.common.config.ConfigSpec;
import dev.ganpipe.common.config.ConfigValues;
import dev.ganpipe.trainer.gan.GanConfig;
import dev.ganpipe.trainer.gan.GanTrainingCore;
import dev.ganpipe.common.model.NoiseRandom;
import dev.ganpipe.trainer.gan.StepResult;
import dev.ganpipe.trainer.gan.TrainingState;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * {@code ./gan bench step-parity}: is the trainer's training step PyTorch's, to the arithmetic? The trainer trains a few
 * steps from its seeded initial weights on fixed batches; PyTorch eager (the bench's reference networks and step) starts
 * from the same weights and gets the same images and the same noise, and both report their losses step by step. The
 * first steps must agree to float rounding: an optimiser, a BatchNorm momentum or mode, a loss or a noise batch that
 * differed would show at step 1 or 2. Later steps drift apart as any two float orderings of a GAN do.
 */
public final class StepParity {

    private StepParity() {
    }

    static ConfigSpec spec() {
        return new ConfigSpec("gan bench step-parity", "Checks that the trainer's training step is PyTorch's: both train the same "
                + "steps from the same initial weights on the same images and noise, and print their losses side by side.")
                .add("steps", "20", "Steps to compare.")
                .add("width", "16", "Base width of both networks (the arithmetic is the same at any width; 16 is quick).")
                .add("batch", "64", "Images per step.")
                .add("seed", "42", "Seed of the initial weights, the noise and the images.")
                .add("python", "/usr/bin/python3", "Python interpreter with torch (Debian's python3-torch).");
    }

    /**
     * Runs the comparison (a {@link dev.ganpipe.bench.Bench}); the table and the ratio lines go to {@code out}, progress
     * to {@code log}.
     */
    public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream log) {
        CommandLine.Parsed<ConfigValues> parsed = CommandLine.of(spec(), "gan", 2)
                .parse(args, env, out, log, v -> v);
        if (parsed.done()) {
            return parsed.exitCode();
        }
        ConfigValues v = parsed.value();
        int steps = v.integer("steps");
        int batch = v.integer("batch");
        if (steps < 1 || steps > 10_000 || batch < 2) {
            throw new ConfigException("--steps must be 1 to 10,000 and --batch at least 2, but were " + steps + " and " + batch + ".");
        }
        GanConfig config = GanConfig.dcgan28().withWidths(v.integer("width"), v.integer("width")).withSeed(v.longValue("seed"))
                .withEmaDecay(0);
        try (PyTorchStudyRun run = PyTorchStudyRun.prepare()) {
            List<StepResult> ours = trainAndWrite(config, steps, batch, run.folder());
            JsonNode theirs = PyTorchStudyRun.runScript(v.string("python"),
                    run.command(v.string("python"), PyTorchStudyRun.PARITY_SCRIPT, List.of("--dir", run.folder().toString())), log);
            report(ours, theirs, out);
            return 0;
        } catch (IOException | RuntimeException e) {
            e.printStackTrace(log);
            log.println("gan: the step-parity bench failed: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /**
     * Writes the core's initial state, then trains it {@code steps} steps, writing each step's images and both halves'
     * noise (drawn from the core's own noise state, as the core draws them) before it runs.
     */
    static List<StepResult> trainAndWrite(GanConfig config, int steps, int batch, Path dir) throws IOException {
        List<StepResult> results = new ArrayList<>();
        try (GanTrainingCore core = new GanTrainingCore(config)) {
            TrainingState initial = core.snapshot();
            writeState(initial, dir);
            NoiseRandom noise = NoiseRandom.restore(initial.noise());
            Random images = new Random(config.seed());
            int values = config.imageElements();
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve("steps.f32")))) {
                for (int s = 0; s < steps; s++) {
                    float[] real = new float[batch * values];
                    for (int i = 0; i < real.length; i++) {
                        real[i] = (float) Math.tanh(images.nextGaussian()); // in (-1, 1), like pixels
                    }
                    write(out, real);
                    write(out, noise.gaussians(batch * config.noiseDim())); // the D half's draw
                    write(out, noise.gaussians(batch * config.noiseDim())); // the G half's draw
                    results.add(core.trainStep(real, null, batch));
                }
            }
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("steps", steps);
        meta.put("batch", batch);
        meta.put("noise_dim", config.noiseDim());
        meta.put("width", config.generatorWidth());
        meta.put("arch", "dcgan" + config.imageSize());
        Files.writeString(dir.resolve("steps.json"), Json.mapper().writeValueAsString(meta));
        return results;
    }

    private static void writeState(TrainingState state, Path dir) throws IOException {
        List<Map<String, Object>> manifest = new ArrayList<>();
        long offset = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve("state.f32")))) {
            for (Map.Entry<String, TrainingState.Tensor> e : state.tensors().entrySet()) {
                if (!e.getKey().startsWith(TrainingState.GENERATOR + "/") && !e.getKey().startsWith(TrainingState.DISCRIMINATOR + "/")) {
                    continue; // Adam's moments start at zero on both sides
                }
                manifest.add(Map.of("name", e.getKey(), "shape", e.getValue().shape(), "offset", offset));
                write(out, e.getValue().values());
                offset += e.getValue().values().length;
            }
        }
        Files.writeString(dir.resolve("state.json"), Json.mapper().writeValueAsString(manifest));
    }

    private static void write(OutputStream out, float[] values) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        out.write(buffer.array());
    }

    /** The side-by-side table, then the largest relative loss difference over the first 3 steps and over all. */
    static void report(List<StepResult> ours, JsonNode theirs, PrintStream out) {
        JsonNode steps = theirs.path("steps");
        out.printf(Locale.ROOT, "PyTorch %s against the trainer, from the same initial weights, images and noise:%n%n",
                theirs.path("torch").asText("?"));
        out.println("| step | D loss ours | D loss PyTorch | G loss ours | G loss PyTorch | D(real) ours | D(real) PyTorch | D(fake) ours | D(fake) PyTorch |");
        out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        double firstThree = 0;
        double all = 0;
        for (int i = 0; i < ours.size() && i < steps.size(); i++) {
            StepResult a = ours.get(i);
            JsonNode b = steps.get(i);
            double[][] pairs = {{a.dLoss(), b.path("d_loss").asDouble()}, {a.gLoss(), b.path("g_loss").asDouble()},
                {a.dRealMean(), b.path("d_real").asDouble()}, {a.dFakeMean(), b.path("d_fake").asDouble()}};
            for (double[] p : pairs) {
                double rel = Math.abs(p[0] - p[1]) / Math.max(1e-12, Math.abs(p[1]));
                all = Math.max(all, rel);
                if (i < 3) {
                    firstThree = Math.max(firstThree, rel);
                }
            }
            out.printf(Locale.ROOT, "| %d | %.6f | %.6f | %.6f | %.6f | %.5f | %.5f | %.5f | %.5f |%n", i + 1, pairs[0][0], pairs[0][1],
                    pairs[1][0], pairs[1][1], pairs[2][0], pairs[2][1], pairs[3][0], pairs[3][1]);
        }
        out.println();
        out.printf(Locale.ROOT, "ratio step_parity_max_relative_difference_first_3_steps %.2e%n", firstThree);
        out.printf(Locale.ROOT, "ratio step_parity_max_relative_difference_all_%d_steps %.2e%n", ours.size(), all);
    }
}
