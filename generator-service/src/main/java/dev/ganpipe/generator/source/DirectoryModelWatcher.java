package dev.ganpipe.generator.source;

import dev.ganpipe.common.model.ModelDirectory;
import dev.ganpipe.common.model.ModelManifest;
import dev.ganpipe.generator.model.ModelIntake;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scans the models directory ({@code <name>-v<version>.onnx} plus its JSON manifest, written atomically, manifest
 * last) at a fixed interval and offers every manifest it has not offered before to the registry.
 */
public final class DirectoryModelWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryModelWatcher.class);

    private final ModelDirectory directory;
    private final ModelIntake registry;
    private final int keepVersions;
    private final Counter errors;
    private final ScheduledExecutorService scheduler;
    // Only the scheduler thread touches it.
    private final Set<String> offered = new HashSet<>();
    private boolean failing;

    private DirectoryModelWatcher(ModelDirectory directory, ModelIntake registry, int keepVersions, MeterRegistry meters) {
        this.directory = directory;
        this.registry = registry;
        this.keepVersions = keepVersions;
        this.errors = Counter.builder(ModelSources.SOURCE_ERRORS).tag("source", "directory")
                .description("Failures reading models from a source (retried)").register(meters);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("generator-models-dir").daemon(true).factory());
    }

    /**
     * Scans once now, then every {@code interval}.
     *
     * @param keepVersions how many of the newest versions per name are worth loading on a scan
     */
    public static DirectoryModelWatcher start(ModelDirectory directory, Duration interval, ModelIntake registry, int keepVersions,
            MeterRegistry meters) {
        DirectoryModelWatcher watcher = new DirectoryModelWatcher(directory, registry, keepVersions, meters);
        LOG.info("Watching the models directory {} every {} ms.", directory.root().toAbsolutePath(), interval.toMillis());
        watcher.scheduler.scheduleWithFixedDelay(watcher::scan, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return watcher;
    }

    /** Stops scanning; safe to call twice. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("The models-directory watcher did not stop within 30 s; it is a daemon thread and ends with the JVM.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void scan() {
        // A scheduled task that throws is never run again, so every failure is caught, counted and logged here.
        try {
            for (ModelManifest manifest : newestUnseen(directory.manifests())) {
                String origin = "directory " + directory.modelFile(manifest.name(), manifest.version());
                offered.add(key(manifest));
                byte[] onnx;
                Optional<String> signature;
                try {
                    onnx = directory.read(manifest);
                    signature = directory.readSignature(manifest);
                } catch (IOException e) {
                    registry.rejectUnreadable(origin, "its model or signature file cannot be read (" + e + ")");
                    continue;
                }
                registry.offer(manifest, onnx, signature, origin);
            }
            if (failing) {
                LOG.info("The models directory {} is readable again.", directory.root().toAbsolutePath());
                failing = false;
            }
        } catch (RuntimeException e) {
            errors.increment();
            if (!failing) {
                LOG.warn("Scanning the models directory {} failed; retrying at every scan, and logging again once it works: {}",
                        directory.root().toAbsolutePath(), e.toString(), e);
                failing = true;
            }
        }
    }

    /** Manifests not offered yet, at most the newest {@code keepVersions} per name, oldest first. */
    private List<ModelManifest> newestUnseen(List<ModelManifest> manifests) {
        Map<String, List<ModelManifest>> byName = new LinkedHashMap<>();
        for (ModelManifest m : manifests) {
            if (!offered.contains(key(m))) {
                byName.computeIfAbsent(m.name(), k -> new ArrayList<>()).add(m);
            }
        }
        List<ModelManifest> result = new ArrayList<>();
        for (List<ModelManifest> versions : byName.values()) {
            for (ModelManifest older : versions.subList(0, Math.max(0, versions.size() - keepVersions))) {
                offered.add(key(older));
            }
            result.addAll(versions.subList(Math.max(0, versions.size() - keepVersions), versions.size()));
        }
        return result;
    }

    private static String key(ModelManifest m) {
        return m.name() + "\u0000" + m.version() + "\u0000" + m.sha256();
    }
}
