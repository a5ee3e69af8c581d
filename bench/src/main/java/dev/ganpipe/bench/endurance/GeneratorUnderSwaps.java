package dev.ganpipe.bench.endurance;

import dev.ganpipe.common.config.ConfigValues;
import dev.ganpipe.common.image.Hashes;
import dev.ganpipe.common.metrics.MeterRegistries;
import dev.ganpipe.common.metrics.MetricNames;
import dev.ganpipe.common.model.ModelDirectory;
import dev.ganpipe.common.model.ModelManifest;
import dev.ganpipe.generator.GeneratorConfig;
import dev.ganpipe.generator.GeneratorService;
import dev.ganpipe.generator.http.GeneratorApi;
import dev.ganpipe.trainer.gan.GanConfig;
import dev.ganpipe.trainer.gan.GanTrainingCore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Part 1: the generator service started in this process (production wiring, {@link GeneratorService#start}) on a
 * free port, watching a models directory; concurrent clients call {@code GET /v1/generate?count=1} for a while, each
 * sending its next request when the last is answered, while a new model version is written to the directory every
 * few seconds. The models are real generators: DCGANs trained a step each by the trainer's own core and exported
 * by its ONNX exporter.
 */
final class GeneratorUnderSwaps {

    static final String MODEL_NAME = "endurance-dcgan28";
    /** Distinct generators cycled through (each version is one of them, written anew). */
    static final int DISTINCT_MODELS = 6;
    private static final int KEEP_FILES = 4;

    /**
     * What happened.
     *
     * @param failuresByCause failed requests by HTTP status or exception class
     * @param versionsServed distinct model versions named in successful responses
     */
    record Result(long ok, long failed, Map<String, Long> failuresByCause, long versionsWritten, long swapsApplied, long swapsRejected,
            int versionsServed, Latencies latencies, double seconds) {

        long requests() {
            return ok + failed;
        }

        double requestsPerSecond() {
            return ok / seconds;
        }
    }

    private GeneratorUnderSwaps() {
    }

    static Result run(Path work, Duration duration, int clients, Duration swapEvery, PrintStream log) throws InterruptedException {
        ModelDirectory models = new ModelDirectory(work.resolve("models"));
        log.printf(Locale.ROOT, "generator: training and exporting %d distinct dcgan28 generators (width %d) to swap between ...%n",
                DISTINCT_MODELS, GanConfig.DEFAULT_WIDTH);
        List<byte[]> onnx = exportModels(DISTINCT_MODELS);
        models.write(manifest(1, onnx.getFirst()), onnx.getFirst());

        PrometheusMeterRegistry meters = MeterRegistries.prometheus("generator");
        GeneratorConfig config = GeneratorConfig.from(ConfigValues.parse(GeneratorConfig.spec(), List.of(
                "--host", "127.0.0.1", "--port", "0", "--models-from-topic", "false", "--models-dir", models.root().toString(),
                "--models-scan", "500ms", "--requests-stream", "false", "--ort-provider", "cpu"), Map.of()));
        try (GeneratorService service = GeneratorService.start(config, meters)) {
            awaitLive(service, 1, Duration.ofSeconds(60));
            Counter applied = meters.get(MetricNames.GENERATOR_MODEL_SWAPS).tag("outcome", "applied").counter();
            Counter rejected = meters.get(MetricNames.GENERATOR_MODEL_SWAPS).tag("outcome", "rejected").counter();
            double appliedBefore = applied.count();
            double rejectedBefore = rejected.count();
            URI base = URI.create("http://127.0.0.1:" + service.port() + "/v1/generate?count=1&format=png&seed=");
            log.printf(Locale.ROOT, "generator: %d clients for %d s against %s, a new model version every %d ms%n", clients,
                    duration.toSeconds(), base, swapEvery.toMillis());

            long start = System.nanoTime();
            long end = start + duration.toNanos();
            AtomicLong versionsWritten = new AtomicLong(1);
            Thread swapper = Thread.ofPlatform().name("endurance-swapper").start(() -> swapLoop(models, onnx, end, swapEvery, versionsWritten, log));
            Load load = drive(base, clients, end, log, start);
            swapper.join();
            double seconds = (System.nanoTime() - start) / 1e9;
            long last = versionsWritten.get();
            awaitLive(service, last, Duration.ofSeconds(30));
            return new Result(load.ok(), load.failed(), load.failures(), last, Math.round(applied.count() - appliedBefore),
                    Math.round(rejected.count() - rejectedBefore), load.versions(), Latencies.of(load.latencies()), seconds);
        }
    }

    private record Load(long ok, long failed, Map<String, Long> failures, int versions, long[] latencies) {
    }

    /** Runs the clients until {@code end}; latencies of successful requests only. */
    private static Load drive(URI base, int clients, long end, PrintStream log, long start) throws InterruptedException {
        LongAdder ok = new LongAdder();
        Map<String, LongAdder> failures = new ConcurrentHashMap<>();
        Set<String> versions = ConcurrentHashMap.newKeySet();
        List<long[]> perClient = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build()) {
            for (int c = 0; c < clients; c++) {
                long firstSeed = c * 1_000_000_000L;
                threads.add(Thread.ofVirtual().name("endurance-client-" + c).start(() -> {
                    long[] latencies = new long[4096];
                    int n = 0;
                    long seed = firstSeed;
                    while (System.nanoTime() < end) {
                        HttpRequest request = HttpRequest.newBuilder(URI.create(base.toString() + seed++)).timeout(Duration.ofSeconds(30)).GET().build();
                        long sent = System.nanoTime();
                        try {
                            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                            long took = System.nanoTime() - sent;
                            if (response.statusCode() == 200 && response.body().length > 0) {
                                if (n == latencies.length) {
                                    latencies = Arrays.copyOf(latencies, n * 2);
                                }
                                latencies[n++] = took;
                                ok.increment();
                                response.headers().firstValue(GeneratorApi.MODEL_VERSION_HEADER).ifPresent(versions::add);
                            } else {
                                failures.computeIfAbsent("HTTP " + response.statusCode(), k -> new LongAdder()).increment();
                            }
                        } catch (IOException e) {
                            // A failed request is the figure this part reports: counted by cause, never dropped.
                            failures.computeIfAbsent(e.getClass().getSimpleName(), k -> new LongAdder()).increment();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            break;
                        }
                    }
                    synchronized (perClient) {
                        perClient.add(Arrays.copyOf(latencies, n));
                    }
                }));
            }
            long nextReport = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            for (Thread t : threads) {
                while (!t.join(Duration.ofSeconds(1))) {
                    if (System.nanoTime() >= nextReport) {
                        long failed = failures.values().stream().mapToLong(LongAdder::sum).sum();
                        log.printf(Locale.ROOT, "generator: %.0f s: %d ok, %d failed, versions served so far %d%n",
                                (System.nanoTime() - start) / 1e9, ok.sum(), failed, versions.size());
                        nextReport += Duration.ofSeconds(15).toNanos();
                    }
                }
            }
        }
        Map<String, Long> byCause = new TreeMap<>();
        failures.forEach((cause, count) -> byCause.put(cause, count.sum()));
        long failed = byCause.values().stream().mapToLong(Long::longValue).sum();
        long[] all = perClient.stream().flatMapToLong(Arrays::stream).toArray();
        return new Load(ok.sum(), failed, byCause, versions.size(), all);
    }

    /** Writes version 2, 3, ... every {@code every} until {@code end}, as the trainer would publish them. */
    private static void swapLoop(ModelDirectory models, List<byte[]> onnx, long end, Duration every, AtomicLong versionsWritten, PrintStream log) {
        long next = System.nanoTime() + every.toNanos();
        try {
            while (next < end) {
                Thread.sleep(Duration.ofNanos(Math.max(0, next - System.nanoTime())));
                long version = versionsWritten.get() + 1;
                byte[] model = onnx.get((int) ((version - 1) % onnx.size()));
                models.write(manifest(version, model), model);
                versionsWritten.set(version);
                models.prune(MODEL_NAME, KEEP_FILES);
                next += every.toNanos();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.println("generator: the model swapper was interrupted after version " + versionsWritten.get() + ".");
        }
    }

    private static ModelManifest manifest(long version, byte[] onnx) {
        return new ModelManifest(MODEL_NAME, version, Hashes.sha256(onnx), version, Instant.now(), "28x28x1", GanConfig.DEFAULT_NOISE_DIM, Map.of());
    }

    /** {@code count} real generators: one DCGAN trained one more step on random images before each export. */
    static List<byte[]> exportModels(int count) {
        GanConfig config = GanConfig.dcgan28().withSeed(7);
        List<byte[]> out = new ArrayList<>();
        try (GanTrainingCore core = new GanTrainingCore(config)) {
            Random random = new Random(7);
            int batch = 8;
            float[] real = new float[batch * config.imageElements()];
            for (int m = 0; m < count; m++) {
                for (int i = 0; i < real.length; i++) {
                    real[i] = random.nextFloat() * 2f - 1f;
                }
                core.trainStep(real, null, batch);
                out.add(core.exportGeneratorOnnx(Map.of("step", Long.toString(core.step()), "dataset", "endurance-random")));
            }
        }
        return out;
    }

    private static void awaitLive(GeneratorService service, long version, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (service.registry().liveVersion().orElse(0) < version) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The generator service did not make model version " + version + " live within "
                        + timeout.toSeconds() + " s (live: " + service.registry().liveVersion() + "); its log lines above say why.");
            }
            Thread.sleep(100);
        }
    }
}
