package dev.ganpipe.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code TrainerMain} in its own JVM, as an operator runs it, with its log in a file: the test reads its status over
 * HTTP and what it trained on from its per-step debug lines, and can kill it like a crash (SIGKILL) or stop it like
 * an operator (SIGTERM).
 */
final class ChildTrainer implements AutoCloseable {

    private static final Pattern PORT = Pattern.compile("trainer serves HTTP on http://[^:]+:(\\d+)/");
    private static final Pattern STEP = Pattern.compile(
            "step (\\d+): D loss ([-0-9.]+) G loss ([-0-9.]+) D\\(real\\) [-0-9.]+ D\\(fake\\) [-0-9.]+ augment p ([0-9.]+); "
                    + "fresh (\\d+) \\[(.*)]");
    private static final Pattern RANGE = Pattern.compile("(\\S+)-(\\d+)@(\\d+)\\.\\.(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path log;
    private final HttpClient http = HttpClient.newHttpClient();
    private volatile int port;
    private volatile String lastStatusProblem = "not asked yet";

    /** One training step as the child logged it. */
    record LoggedStep(long step, double dLoss, double gLoss, double augmentP, int fresh, Set<Long> offsets0, Set<Long> offsets1) {
    }

    private ChildTrainer(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code TrainerMain} with {@code args} and extra environment variables, logging to {@code log}. */
    static ChildTrainer start(Path log, List<String> args, Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dai.djl.offline=true", "-Xmx1g", "--enable-native-access=ALL-UNNAMED",
                "-Dorg.slf4j.simpleLogger.log.dev.ganpipe.trainer.loop.TrainingLoop=debug",
                TrainerMain.class.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        builder.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        builder.environment().putAll(env);
        return new ChildTrainer(builder.start(), log);
    }

    /** The HTTP port, once the child has logged it; 0 before. */
    int port() {
        if (port == 0) {
            Matcher m = PORT.matcher(logText());
            if (m.find()) {
                port = Integer.parseInt(m.group(1));
            }
        }
        return port;
    }

    /** {@code GET /v1/status}, or null while the server is not up ({@link #lastStatusProblem} says why). */
    JsonNode status() {
        if (port() == 0) {
            lastStatusProblem = "no 'trainer serves HTTP' line in the log yet";
            return null;
        }
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/status"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                lastStatusProblem = "HTTP " + r.statusCode() + ": " + r.body();
                return null;
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            lastStatusProblem = e.toString(); // not listening yet, or just died: the caller's wait decides
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Why the last {@link #status} call returned null, and the end of the child's log: for failure messages. */
    String statusDiagnosis() {
        String[] lines = logText().split("\n");
        return "last /v1/status problem: " + lastStatusProblem + "; alive: " + process.isAlive() + "; log tail:\n"
                + String.join("\n", Arrays.asList(lines).subList(Math.max(0, lines.length - 15), lines.length));
    }

    /** The steps logged so far, in order. */
    List<LoggedStep> steps() {
        List<LoggedStep> out = new ArrayList<>();
        for (String line : logText().split("\n")) {
            Matcher m = STEP.matcher(line);
            if (!m.find()) {
                continue;
            }
            Set<Long> p0 = new HashSet<>();
            Set<Long> p1 = new HashSet<>();
            Matcher r = RANGE.matcher(m.group(6));
            while (r.find()) {
                Set<Long> into = Integer.parseInt(r.group(2)) == 0 ? p0 : p1;
                for (long o = Long.parseLong(r.group(3)); o <= Long.parseLong(r.group(4)); o++) {
                    into.add(o);
                }
            }
            out.add(new LoggedStep(Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)),
                    Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4)), Integer.parseInt(m.group(5)), p0, p1));
        }
        return out;
    }

    /** Offsets trained on per partition number, over every logged step. */
    Map<Integer, Set<Long>> trainedOffsets() {
        Map<Integer, Set<Long>> out = new LinkedHashMap<>();
        out.put(0, new HashSet<>());
        out.put(1, new HashSet<>());
        for (LoggedStep s : steps()) {
            out.get(0).addAll(s.offsets0());
            out.get(1).addAll(s.offsets1());
        }
        return out;
    }

    /** SIGKILL: no shutdown hook, no final checkpoint, like a crash or an OOM kill. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, as an operator or an orchestrator stops it; waits for it to exit. */
    boolean terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String logText() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the child if it still runs (a failed test must not leave a trainer behind). */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
