package dev.ganpipe.bench.chaos;

import dev.ganpipe.images.source.IdxWriter;
import dev.ganpipe.broker.cluster.LocalCluster;
import dev.ganpipe.common.config.ConfigValues;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.metrics.MeterRegistries;
import dev.ganpipe.generator.GeneratorConfig;
import dev.ganpipe.generator.GeneratorService;
import dev.ganpipe.ingest.IngestConfig;
import dev.ganpipe.ingest.IngestService;
import dev.ganpipe.ingest.publish.IngestSummary;
import dev.ganpipe.trainer.TrainerConfig;
import dev.ganpipe.trainer.TrainerService;
import dev.ganpipe.trainer.loop.TrainerStatus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Scenario 3: a rolling restart of all three brokers (SIGTERM, a pause, start again, wait until every replica is in
 * sync, next) while {@code gan ingest} publishes, the trainer trains and exports, and the generator serves 8 HTTP
 * clients. The trainer's step and published version must never go back; every acknowledged image reaches
 * {@code images.train} once; every generator request must succeed.
 */
final class RollingRestart {

    private static final int HTTP_CLIENTS = 8;

    private RollingRestart() {
    }

    static ChaosResult run(String scenario, LocalCluster cluster, Path work, ChaosBenchConfig config, long seed) throws Exception {
        TopicCatalog topics = ChaosParts.createTopics(cluster, "chaos-" + scenario);
        List<String> topicFlags = List.of("--topic-images-raw", topics.imagesRaw(), "--topic-images-train", topics.imagesTrain(),
                "--topic-images-dlq", topics.imagesDlq(), "--topic-models", topics.modelsGenerator(),
                "--topic-synthetic-requests", topics.syntheticRequests(), "--topic-synthetic-images", topics.syntheticImages());
        Path idx = IdxWriter.noiseSet(work.resolve("idx-" + scenario), config.images(), seed);
        IngestConfig ingestConfig = ChaosParts.ingestConfig(cluster, topics, work.resolve("streams-" + scenario), "chaos-" + scenario,
                "--rate", Double.toString(config.rate()));
        Set<String> expected = IngestUnderFire.expectedIds(ingestConfig, idx);
        List<String> trainerArgs = new ArrayList<>(List.of("--bootstrap-servers", cluster.bootstrapServers(), "--port", "0",
                "--host", "127.0.0.1", "--group-id", "chaos-" + scenario + "-trainer",
                "--models-dir", work.resolve("models-" + scenario).toString(), "--samples-dir", work.resolve("samples-" + scenario).toString(),
                "--checkpoint-dir", work.resolve("checkpoints-" + scenario).toString(), "--generator-width", "16",
                "--discriminator-width", "16", "--batch-size", "32", "--threads", "1", "--export-every-steps", "100",
                "--export-every", "20s", "--checkpoint-every-steps", "100", "--sample-every-steps", "100000",
                // decided here, not from the first image: the scenario measures the cluster, not the recipe
                "--image-shape", "28x28x1", "--conditional", "false"));
        trainerArgs.addAll(topicFlags);
        List<String> generatorArgs = new ArrayList<>(List.of("--bootstrap-servers", cluster.bootstrapServers(), "--host", "127.0.0.1",
                "--port", "0", "--ort-provider", "cpu", "--requests-app-id", "chaos-" + scenario + "-requests", "--allow-unsigned-models"));
        generatorArgs.addAll(topicFlags);

        List<String> ids = new ArrayList<>();
        List<String> observed = new ArrayList<>();
        AtomicLong requests = new AtomicLong();
        AtomicLong failedRequests = new AtomicLong();
        AtomicLong stepWentBack = new AtomicLong();
        AtomicLong versionWentBack = new AtomicLong();
        AtomicLong generatorNotReady = new AtomicLong();
        long failedImages = 0;
        try (IngestService ingest = IngestService.start(ingestConfig, MeterRegistries.prometheus("ingest"));
                TrainerService trainer = TrainerService.start(TrainerConfig.from(ConfigValues.parse(TrainerConfig.spec(), trainerArgs, Map.of())),
                        MeterRegistries.prometheus("trainer"));
                KafkaConsumer<byte[], byte[]> train = ChaosParts.trainReader(cluster, topics)) {
            ChaosParts.awaitReady(ingest);
            CompletableFuture<IngestSummary> publishing = CompletableFuture.supplyAsync(() -> IngestUnderFire.publish(ingestConfig, idx));
            ChaosParts.awaitTrue(() -> trainer.status().lastExportVersion() > 0, Duration.ofSeconds(300), "the trainer's first export");
            try (GeneratorService generator = GeneratorService.start(GeneratorConfig.from(ConfigValues.parse(GeneratorConfig.spec(),
                    generatorArgs, Map.of())), MeterRegistries.prometheus("generator"))) {
                ChaosParts.awaitTrue(generator::ready, Duration.ofSeconds(120), "the generator to serve the first model");
                AtomicBoolean running = new AtomicBoolean(true);
                List<Thread> clients = new ArrayList<>();
                for (int c = 0; c < HTTP_CLIENTS; c++) {
                    int client = c;
                    clients.add(Thread.ofPlatform().name("chaos-client-" + c).start(() -> callUntilStopped(generator.port(), client, running,
                            requests, failedRequests)));
                }
                TrainerStatus first = trainer.status();
                Thread watcher = Thread.ofPlatform().name("chaos-trainer-watch").start(() -> {
                    TrainerStatus last = trainer.status();
                    while (running.get()) {
                        ChaosParts.sleep(Duration.ofMillis(250));
                        TrainerStatus now = trainer.status();
                        stepWentBack.addAndGet(now.step() < last.step() ? 1 : 0);
                        versionWentBack.addAndGet(now.lastExportVersion() < last.lastExportVersion() ? 1 : 0);
                        generatorNotReady.addAndGet(generator.ready() ? 0 : 1);
                        last = now;
                    }
                });
                for (var node : cluster.nodes()) {
                    node.stop(); // SIGTERM: a controlled shutdown, leadership handed over first
                    ChaosParts.sleep(Duration.ofSeconds(5));
                    cluster.restart(node.id());
                    ChaosParts.awaitTrue(() -> cluster.fullyReplicated(List.of(topics.imagesRaw(), topics.imagesTrain(), topics.modelsGenerator())),
                            Duration.ofSeconds(180), "node " + node.id() + " to catch up after its restart");
                    ChaosParts.poll(train, ids);
                }
                TrainerStatus afterRestarts = trainer.status();
                ChaosParts.sleep(Duration.ofSeconds(20)); // the trainer exports and checkpoints on the restarted cluster
                running.set(false);
                for (Thread t : clients) {
                    t.join();
                }
                watcher.join();
                TrainerStatus end = trainer.status();
                observed.add(String.format("trainer step %d -> %d (after the restarts) -> %d, version %d -> %d -> %d, checkpoint at step %d, "
                        + "step went back %d times, version %d times, trainer error '%s'", first.step(), afterRestarts.step(), end.step(),
                        first.lastExportVersion(), afterRestarts.lastExportVersion(), end.lastExportVersion(), end.lastCheckpointStep(),
                        stepWentBack.get(), versionWentBack.get(), end.error() == null ? "" : end.error()));
                observed.add(String.format("generator: %d HTTP requests from %d clients, %d failed, not ready in %d samples (of 4 a second)",
                        requests.get(), HTTP_CLIENTS, failedRequests.get(), generatorNotReady.get()));
            }
            try {
                IngestSummary summary = publishing.get(600, TimeUnit.SECONDS);
                failedImages = config.images() - summary.sent();
            } catch (ExecutionException e) {
                observed.add("publishing failed: " + e.getCause().getMessage());
                failedImages = config.images();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
            while (new HashSet<>(ids).size() < expected.size() && System.nanoTime() < deadline) {
                ChaosParts.poll(train, ids);
            }
            long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < drainUntil) {
                ChaosParts.poll(train, ids);
            }
        }
        Set<String> distinct = new HashSet<>(ids);
        long lost = expected.stream().filter(id -> !distinct.contains(id)).count();
        long failed = failedRequests.get() + failedImages;
        return new ChaosResult(scenario, lost, ids.size() - distinct.size(), failed, 0, String.join("; ", observed));
    }

    /** One client: {@code GET /v1/generate?count=1} one after the other; anything but a 200 counts as failed. */
    private static void callUntilStopped(int port, int client, AtomicBoolean running, AtomicLong requests, AtomicLong failed) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        long seed = client * 1_000_000L;
        while (running.get()) {
            requests.incrementAndGet();
            try {
                HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/v1/generate?count=1&seed=" + seed++)).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() != 200) {
                    failed.incrementAndGet();
                }
            } catch (IOException e) {
                failed.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
