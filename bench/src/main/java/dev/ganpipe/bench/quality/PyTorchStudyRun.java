package dev.ganpipe.bench.quality;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ganpipe.bench.child.ChildOutput;
import dev.ganpipe.common.Json;
import dev.ganpipe.common.image.ModelPixels;
import dev.ganpipe.quality.data.RealData;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Trains the bench's PyTorch eager DCGAN on the study's images in the study's order, in a child Python process, and
 * leaves its published generator as an ONNX file. The script {@code pytorch_quality_study.py} imports the trainer
 * bench's {@code pytorch_dcgan_reference.py}, so the networks, the step and the weight average are the ones
 * {@code ./gan bench trainer} times; both are extracted into one temporary folder that {@link #close()} deletes.
 */
final class PyTorchStudyRun implements AutoCloseable {

    static final String BENCH_SCRIPT = "/dev/ganpipe/bench/trainer/pytorch_dcgan_reference.py";
    static final String STUDY_SCRIPT = "/dev/ganpipe/bench/quality/pytorch_quality_study.py";
    static final String PARITY_SCRIPT = "/dev/ganpipe/bench/quality/pytorch_step_parity.py";
    private static final Duration PROBE_TIMEOUT = Duration.ofMinutes(1);

    /**
     * What the script reports.
     *
     * @param seconds wall time of the training steps, measured by the script
     * @param torchVersion {@code torch.__version__}
     * @param threads the intra-op threads torch used
     * @param onnx the exported published generator after the last step
     * @param exported the exported published generator after each step asked for, in step order
     * @param exportedSeconds for a run trained for a time: the training seconds (exports not counted) at each export's
     *     step; empty for a run trained for a number of steps
     */
    record Outcome(double seconds, String torchVersion, int threads, Path onnx, SortedMap<Integer, Path> exported,
            SortedMap<Integer, Double> exportedSeconds) {
    }

    private final Path folder;

    private PyTorchStudyRun(Path folder) {
        this.folder = folder;
    }

    /** Extracts the scripts into a new temporary folder. */
    static PyTorchStudyRun prepare() throws IOException {
        Path folder = Files.createTempDirectory("gan-quality-study-");
        PyTorchStudyRun run = new PyTorchStudyRun(folder);
        try {
            run.extract(BENCH_SCRIPT);
            run.extract(STUDY_SCRIPT);
            run.extract(PARITY_SCRIPT);
            return run;
        } catch (IOException | RuntimeException e) {
            run.closeAfter(e);
            throw e;
        }
    }

    /**
     * Writes the images and order, runs the script to the end (its progress lines go to {@code log}) and returns what
     * it reports.
     *
     * @throws IllegalStateException when the script fails or prints no result; its messages went to {@code log}
     */
    Outcome train(String python, StudyData data, int usable, int steps, int batch, int threads, int width, int noiseDim,
            double emaDecay, long seed, int progressEvery, PrintStream log) throws IOException, InterruptedException {
        return train(python, data, usable, steps, List.of(steps), batch, threads, width, noiseDim, emaDecay, seed, progressEvery, log);
    }

    /**
     * As {@link #train(String, StudyData, int, int, int, int, int, int, double, long, int, PrintStream)}, exporting the
     * published generator after each of {@code exportAt} (steps in {@code 1..steps}).
     */
    Outcome train(String python, StudyData data, int usable, int steps, List<Integer> exportAt, int batch, int threads, int width,
            int noiseDim, double emaDecay, long seed, int progressEvery, PrintStream log) throws IOException, InterruptedException {
        return runStudy(python, data, usable, steps * batch, List.of("--steps", Integer.toString(steps),
                "--export-at", exportAt.stream().map(String::valueOf).collect(Collectors.joining(","))), batch, threads, width, noiseDim,
                emaDecay, seed, progressEvery, log);
    }

    /**
     * As {@link #train(String, StudyData, int, int, List, int, int, int, int, double, long, int, PrintStream)}, for
     * {@code trainSeconds} of training time instead of a number of steps (the script's clock pauses while it exports),
     * exporting the published generator every {@code exportEverySeconds} of training time and at the end. The script
     * reads the whole of {@code data}'s order, which must be whole epochs: if it outruns it, it starts it again.
     */
    Outcome trainFor(String python, StudyData data, double trainSeconds, double exportEverySeconds, String arch, int batch, int threads,
            int width, int noiseDim, double emaDecay, long seed, int progressEvery, PrintStream log) throws IOException, InterruptedException {
        return runStudy(python, data, data.usable(), data.order().length, List.of("--train-seconds", Double.toString(trainSeconds),
                "--export-every-seconds", Double.toString(exportEverySeconds), "--arch", arch), batch, threads, width, noiseDim, emaDecay, seed,
                progressEvery, log);
    }

    /**
     * Writes the first {@code usable} images and the first {@code orderLength} indices of {@code data}'s order, runs the
     * study script with the arguments both modes share and {@code modeArguments} (steps or training time), and reads
     * what it reports.
     */
    private Outcome runStudy(String python, StudyData data, int usable, int orderLength, List<String> modeArguments, int batch, int threads,
            int width, int noiseDim, double emaDecay, long seed, int progressEvery, PrintStream log) throws IOException, InterruptedException {
        Path images = folder.resolve("images.u8");
        Path order = folder.resolve("order.i32");
        Path onnx = folder.resolve("generator.onnx");
        writeImages(data.train(), usable, images);
        writeOrder(data.order(), orderLength, order);
        List<String> command = new ArrayList<>(List.of(python, folder.resolve(Path.of(STUDY_SCRIPT).getFileName()).toString(),
                "--images", images.toString(), "--count", Integer.toString(usable), "--order", order.toString(),
                "--batch", Integer.toString(batch), "--threads", Integer.toString(threads),
                "--width", Integer.toString(width), "--noise-dim", Integer.toString(noiseDim), "--ema-decay", Double.toString(emaDecay),
                "--seed", Long.toString(seed), "--onnx", onnx.toString(), "--progress-every", Integer.toString(progressEvery)));
        command.addAll(modeArguments);
        return outcome(runScript(python, command, log), onnx);
    }

    private static Outcome outcome(JsonNode result, Path onnx) {
        SortedMap<Integer, Path> exported = new TreeMap<>();
        result.path("exported").properties().forEach(e -> exported.put(Integer.parseInt(e.getKey()), Path.of(e.getValue().asText())));
        SortedMap<Integer, Double> exportedSeconds = new TreeMap<>();
        result.path("exported_seconds").properties().forEach(e -> exportedSeconds.put(Integer.parseInt(e.getKey()), e.getValue().asDouble()));
        return new Outcome(result.path("seconds").asDouble(Double.NaN), result.path("torch").asText("unknown"),
                result.path("threads").asInt(0), Path.of(result.path("onnx").asText(onnx.toString())), exported, exportedSeconds);
    }

    /** The folder the scripts were extracted to; a caller's input files go there too, and are deleted with it. */
    Path folder() {
        return folder;
    }

    /** The command line that runs one of the extracted scripts ({@code BENCH_SCRIPT}, ...) with {@code args}. */
    List<String> command(String python, String script, List<String> args) {
        List<String> command = new ArrayList<>(List.of(python, folder.resolve(Path.of(script).getFileName()).toString()));
        command.addAll(args);
        return command;
    }

    /**
     * Runs {@code command} to the end, its stderr going to {@code log}, and returns the last JSON line it printed.
     *
     * @throws IllegalStateException when it fails or prints no JSON line; its messages went to {@code log}
     */
    static JsonNode runScript(String python, List<String> command, PrintStream log) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + python + "; pass --python with an interpreter that imports torch "
                    + "(Debian's python3-torch installs it for /usr/bin/python3).", e);
        }
        // A bench stopped with Ctrl-C or kill must not leave an hour of PyTorch training running behind it.
        Process child = process;
        Thread reaper = new Thread(child::destroyForcibly, "study-pytorch-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        Thread errors = ChildOutput.pump(process.getErrorStream(), log, "study-pytorch-output");
        List<String> lines;
        try {
            lines = ChildOutput.lines(process.getInputStream());
            process.waitFor();
            errors.join(PROBE_TIMEOUT);
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
            throw e;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is already exiting: the hook runs and ends the child, as intended.
            }
        }
        return Json.mapper().readTree(ChildOutput.resultLine(process.exitValue(), lines, command));
    }

    /** Deletes the temporary folder and everything in it. */
    @Override
    public void close() throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(folder);
    }

    private void closeAfter(Exception primary) {
        try {
            close();
        } catch (IOException closing) {
            primary.addSuppressed(closing);
        }
    }

    private void extract(String resource) throws IOException {
        try (InputStream in = PyTorchStudyRun.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("The resource " + resource + " is missing from the bench jar; rebuild with './gan build'.");
            }
            Files.copy(in, folder.resolve(Path.of(resource).getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * The first {@code count} images' 8-bit pixels, one image after another, in the model's CHW order (the order the
     * trainer's batches take: {@link ModelPixels#toModelBytes}), which the script reshapes to N x C x H x W.
     */
    static void writeImages(RealData train, int count, Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            for (int i = 0; i < count; i++) {
                out.write(ModelPixels.toModelBytes(train.image(i)));
            }
        }
    }

    /** The first {@code length} indices as little-endian int32. */
    static void writeOrder(int[] order, int length, Path file) throws IOException {
        if (length > order.length) {
            throw new IllegalArgumentException("The order holds " + order.length + " indices but " + length + " are needed.");
        }
        ByteBuffer buffer = ByteBuffer.allocate(length * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < length; i++) {
            buffer.putInt(order[i]);
        }
        Files.write(file, buffer.array());
    }
}
