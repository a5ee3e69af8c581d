package dev.ganpipe.bench.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ganpipe.bench.child.ChildOutput;
import dev.ganpipe.common.Json;
import dev.ganpipe.common.process.ProcessRun;
import dev.ganpipe.trainer.gan.GanConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The PyTorch eager reference: finds a Python with {@code torch} and runs the bundled script that mirrors the
 * trainer's step. It never installs anything (a bench must not change the machine it measures); when torch is
 * missing it says what to install.
 */
final class PyTorchReference implements AutoCloseable {

    /** The script among this module's resources. */
    static final String SCRIPT_RESOURCE = "/dev/ganpipe/bench/trainer/pytorch_dcgan_reference.py";
    /** Where Debian's python3-torch is importable, whatever python3 the PATH finds first (pyenv, venvs). */
    static final String DEBIAN_PYTHON = "/usr/bin/python3";
    /** What a user runs to get the reference; the bench only names it. */
    static final String INSTALL_COMMAND = "apt-get install -y python3-torch";
    /** PyTorch's OpenMP threads spin while waiting unless told otherwise; the launcher sets the same for the JVM. */
    static final String OMP_WAIT_POLICY = "OMP_WAIT_POLICY";

    private static final Duration PROBE_TIMEOUT = Duration.ofMinutes(1);

    private final String python;
    private final String torchVersion;
    private final Path script;

    private PyTorchReference(String python, String torchVersion, Path script) {
        this.python = python;
        this.torchVersion = torchVersion;
        this.script = script;
    }

    /** A reference ready to run, or why there is none (the message says what to run). */
    sealed interface Availability permits Available, Unavailable {
    }

    record Available(PyTorchReference reference) implements Availability {
    }

    record Unavailable(String reason) implements Availability {
    }

    /**
     * Finds a Python with torch: {@code preferred}, then {@value #DEBIAN_PYTHON}; each miss is noted on {@code log}.
     * When neither has it, the answer says what to install.
     */
    static Availability locate(String preferred, PrintStream log) {
        Set<String> candidates = new LinkedHashSet<>(List.of(preferred, DEBIAN_PYTHON));
        return probe(candidates, log).<Availability>map(a -> a)
                .orElseGet(() -> new Unavailable("no Python among " + candidates + " can import torch; install Debian's PyTorch with '"
                        + INSTALL_COMMAND + "' (as root), or pass --python with an interpreter that has torch, and run the bench again"));
    }

    /** The interpreter in use. */
    String python() {
        return python;
    }

    /** {@code torch.__version__} of that interpreter. */
    String torchVersion() {
        return torchVersion;
    }

    /**
     * Runs the reference once, mirroring {@code gan} (widths, noise size, generator average), and returns its JSON
     * result.
     *
     * @param extraArgs further script options, e.g. {@code --upsample repeat} or {@code --profile}
     * @throws IllegalArgumentException when {@code gan} uses something the script does not mirror
     * @throws IllegalStateException when the script fails or prints no result; its stderr went to {@code log}
     */
    JsonNode run(String arch, int batch, int threads, GanConfig gan, int warmupSteps, Duration measure, List<String> extraArgs,
            PrintStream log) {
        if (gan.spectralNorm() || gan.generatorWidth() != gan.discriminatorWidth()) {
            throw new IllegalArgumentException("The PyTorch reference mirrors BatchNorm discriminators with one width for both "
                    + "networks; benchmark a configuration without spectral normalisation and with equal widths.");
        }
        List<String> command = new ArrayList<>(List.of(python, script.toString(), "--arch", arch, "--batch", Integer.toString(batch),
                "--threads", Integer.toString(threads), "--width", Integer.toString(gan.generatorWidth()),
                "--noise-dim", Integer.toString(gan.noiseDim()), "--ema-decay", Double.toString(gan.emaDecay()),
                "--warmup", Integer.toString(warmupSteps), "--seconds", Long.toString(measure.toSeconds())));
        command.addAll(extraArgs);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put(OMP_WAIT_POLICY, Optional.ofNullable(System.getenv(OMP_WAIT_POLICY)).orElse("PASSIVE"));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + python + "; pass --python with a working interpreter.", e);
        }
        Thread errors = ChildOutput.pump(process.getErrorStream(), log, "bench-child-output");
        List<String> lines;
        try {
            lines = ChildOutput.lines(process.getInputStream());
            // The script's warm-up is untimed, so allow generous time beyond the measurement.
            if (!process.waitFor(measure.toSeconds() * 3 + 1800, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("The PyTorch reference did not finish in time; run it by hand to see why: "
                        + String.join(" ", command));
            }
            errors.join(Duration.ofSeconds(5));
        } catch (IOException e) {
            process.destroyForcibly();
            throw new UncheckedIOException("Reading the PyTorch reference's output failed.", e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while the PyTorch reference ran.", e);
        }
        String json = ChildOutput.resultLine(process.exitValue(), lines, command);
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("The PyTorch reference printed a result line that is not JSON: " + json, e);
        }
    }

    /** Deletes the extracted script. */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(script);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the extracted script " + script + "; delete it by hand.", e);
        }
    }

    private static Optional<Available> probe(Set<String> candidates, PrintStream log) {
        for (String candidate : candidates) {
            Optional<String> version = torchVersion(candidate);
            if (version.isPresent()) {
                return Optional.of(new Available(new PyTorchReference(candidate, version.get(), extractScript())));
            }
            log.println("No torch in " + candidate + ".");
        }
        return Optional.empty();
    }

    /** {@code torch.__version__} of that interpreter, or empty when it cannot be started or has no torch. */
    private static Optional<String> torchVersion(String python) {
        try {
            ProcessRun probe = ProcessRun.of(new ProcessBuilder(python, "-c", "import torch; print(torch.__version__)"), PROBE_TIMEOUT);
            String out = probe.output().strip();
            return probe.succeeded() && !out.isEmpty() ? Optional.of(out.lines().reduce((a, b) -> b).orElse(out)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // no such interpreter: the caller tries the next one or explains
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while looking for PyTorch in " + python + ".", e);
        }
    }

    private static Path extractScript() {
        try (InputStream in = PyTorchReference.class.getResourceAsStream(SCRIPT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The resource " + SCRIPT_RESOURCE + " is missing from the bench jar; rebuild with './gan build'.");
            }
            Path file = Files.createTempFile("gan-bench-pytorch-", ".py");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the PyTorch reference script to the temp folder; check its free space.", e);
        }
    }
}
