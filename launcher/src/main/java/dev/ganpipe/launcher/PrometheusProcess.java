package dev.ganpipe.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ganpipe.common.Service;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Prometheus server (the {@code prometheus} binary, e.g. Debian's package) run as a child process with the
 * project's own {@code monitoring/prometheus} config and alert rules, only its scrape targets pointed at where the
 * services actually listen. Used by {@code gan demo --with-prometheus} and the monitoring end-to-end test.
 */
public final class PrometheusProcess implements Service {

    private static final Logger LOG = LoggerFactory.getLogger(PrometheusProcess.class);

    private final Process process;
    private final int port;

    private PrometheusProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The {@code prometheus} binary on the PATH, if installed. */
    public static Optional<Path> findBinary() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "prometheus");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Writes a config derived from {@code monitoringDir/prometheus/prometheus.yml} with each job's targets
     * replaced by {@code targets} (job name to host:port) and starts Prometheus on {@code port}.
     *
     * @param workDir where the derived config, the rules and the TSDB go
     */
    public static PrometheusProcess start(Path binary, Path monitoringDir, Map<String, String> targets, Duration scrapeInterval,
            Path workDir, int port) {
        Path source = monitoringDir.resolve("prometheus");
        try {
            Files.createDirectories(workDir);
            ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
            ObjectNode config = (ObjectNode) yaml.readTree(source.resolve("prometheus.yml").toFile());
            ObjectNode global = (ObjectNode) config.get("global");
            global.put("scrape_interval", scrapeInterval.toSeconds() + "s");
            global.put("evaluation_interval", scrapeInterval.toSeconds() + "s");
            for (JsonNode job : config.get("scrape_configs")) {
                String name = job.get("job_name").asText();
                String target = name.equals("prometheus") ? "127.0.0.1:" + port : targets.get(name);
                if (target == null) {
                    throw new IllegalArgumentException("No target given for Prometheus job '" + name + "'; pass one for every job of "
                            + source.resolve("prometheus.yml") + ".");
                }
                ArrayNode list = ((ObjectNode) job.get("static_configs").get(0)).putArray("targets");
                list.add(target);
            }
            for (JsonNode rules : config.get("rule_files")) {
                Files.copy(source.resolve(rules.asText()), workDir.resolve(rules.asText()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            Path configFile = workDir.resolve("prometheus.yml");
            yaml.writeValue(configFile.toFile(), config);
            Process process = new ProcessBuilder(binary.toString(),
                    "--config.file=" + configFile,
                    "--storage.tsdb.path=" + workDir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port,
                    "--log.level=warn")
                    .redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("prometheus.log").toFile())
                    .start();
            LOG.info("Prometheus started on http://localhost:{}/ with the project's alert rules (log: {})", port, workDir.resolve("prometheus.log"));
            return new PrometheusProcess(process, port);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start Prometheus from " + binary + " with the config in " + source
                    + "; check the binary runs ('prometheus --version') and the monitoring folder is complete.", e);
        }
    }

    /** The HTTP port. */
    public int port() {
        return port;
    }

    /** Whether the process is still running. */
    public boolean alive() {
        return process.isAlive();
    }

    @Override
    public String name() {
        return "prometheus";
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
