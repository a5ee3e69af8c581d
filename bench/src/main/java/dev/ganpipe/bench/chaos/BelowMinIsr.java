package dev.ganpipe.bench.chaos;

import dev.ganpipe.broker.cluster.LocalCluster;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.metrics.MeterRegistries;
import dev.ganpipe.images.normalize.ImageNormalizer;
import dev.ganpipe.images.normalize.Outcome;
import dev.ganpipe.ingest.IngestConfig;
import dev.ganpipe.ingest.IngestService;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
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
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Scenario 4: two of the three brokers down at once, so every partition is below {@code min.insync.replicas=2}.
 * Single-image HTTP uploads go on before, during and after: during the outage an upload must be refused with 503
 * (not lost after a 202), {@code /readyz} is sampled, and once one broker returns uploads are taken again and every
 * accepted image reaches {@code images.train} exactly once.
 */
final class BelowMinIsr {

    /** Short, so that the refusals of the outage come quickly. */
    private static final String SEND_TIMEOUT = "5s";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Random random;
    private final ImageNormalizer normalizer;
    private final int port;
    private final Set<String> accepted = new HashSet<>();
    private final Map<String, Integer> readyz = new TreeMap<>();
    private long refused;
    private long failed;

    private BelowMinIsr(long seed, ImageNormalizer normalizer, int port) {
        this.random = new Random(seed);
        this.normalizer = normalizer;
        this.port = port;
    }

    static ChaosResult run(String scenario, LocalCluster cluster, Path work, ChaosBenchConfig config, long seed) throws IOException {
        TopicCatalog topics = ChaosParts.createTopics(cluster, "chaos-" + scenario);
        IngestConfig ingestConfig = ChaosParts.ingestConfig(cluster, topics, work.resolve("streams-" + scenario), "chaos-" + scenario,
                "--send-timeout", SEND_TIMEOUT);
        List<String> observed = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        BelowMinIsr uploads;
        try (IngestService ingest = IngestService.start(ingestConfig, MeterRegistries.prometheus("ingest"));
                KafkaConsumer<byte[], byte[]> train = ChaosParts.trainReader(cluster, topics)) {
            ChaosParts.awaitReady(ingest);
            uploads = new BelowMinIsr(seed, new ImageNormalizer(ingestConfig.normalizer()), ingest.port());
            int third = config.uploads() / 3;
            uploads.upload(third, "before");
            observed.add("before: " + uploads.accepted.size() + " accepted, /readyz " + uploads.readyz);

            int controller = cluster.activeController();
            List<Integer> down = cluster.nodes().stream().map(n -> n.id()).filter(id -> id != controller).limit(1).toList();
            List<Integer> twoDown = new ArrayList<>(down);
            twoDown.add(controller); // the controller too: no quorum either, the harshest case
            twoDown.forEach(cluster::kill);
            observed.add("killed nodes " + twoDown + " (one the active controller)");
            long refusedBefore = uploads.refused;
            int acceptedBefore = uploads.accepted.size();
            uploads.readyz.clear();
            uploads.upload(Math.max(5, third / 10), "during");
            observed.add("during the outage: " + (uploads.accepted.size() - acceptedBefore) + " accepted, "
                    + (uploads.refused - refusedBefore) + " refused with 503, ingest state " + ingest.state() + ", /readyz " + uploads.readyz);

            long returned = System.nanoTime();
            cluster.restart(twoDown.getFirst());
            uploads.readyz.clear();
            long refusedWhileRecovering = uploads.refused;
            int acceptedAtReturn = uploads.accepted.size();
            while (uploads.accepted.size() == acceptedAtReturn) {
                uploads.upload(1, "recovering");
                if (System.nanoTime() - returned > TimeUnit.SECONDS.toNanos(300)) {
                    throw new IllegalStateException("No upload was accepted within 300 s of node " + twoDown.getFirst() + " returning.");
                }
            }
            observed.add(String.format("node %d back: first 202 %.1f s later (%d refused meanwhile), /readyz %s", twoDown.getFirst(),
                    (System.nanoTime() - returned) / 1e9, uploads.refused - refusedWhileRecovering, uploads.readyz));
            uploads.upload(third, "after");
            cluster.restart(twoDown.get(1));
            observed.add("all three back");

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
            while (!new HashSet<>(ids).containsAll(uploads.accepted) && System.nanoTime() < deadline) {
                ChaosParts.poll(train, ids);
            }
            long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < drainUntil) {
                ChaosParts.poll(train, ids);
            }
            ChaosParts.awaitReady(ingest);
        }
        Set<String> distinct = new HashSet<>(ids);
        long lost = uploads.accepted.stream().filter(id -> !distinct.contains(id)).count();
        long refusedArrived = distinct.stream().filter(id -> !uploads.accepted.contains(id)).count();
        observed.add(refusedArrived + " of the refused uploads were stored after all (the producer kept retrying them)");
        return new ChaosResult(scenario, lost, ids.size() - distinct.size(), uploads.failed, uploads.refused, String.join("; ", observed));
    }

    /** {@code count} single-image uploads, one after the other, sampling {@code /readyz} after each. */
    private void upload(int count, String phase) {
        for (int i = 0; i < count; i++) {
            byte[] png = noisePng();
            String id = ((Outcome.Accepted) normalizer.normalize(png, Optional.of("0"))).id();
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/images?label=0"))
                        .header("Content-Type", "image/png").timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(png)).build(), HttpResponse.BodyHandlers.ofString());
                switch (response.statusCode()) {
                    case 202 -> accepted.add(id);
                    case 503 -> refused++;
                    default -> failed++;
                }
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                readyz.merge(Integer.toString(ready.statusCode()), 1, Integer::sum);
            } catch (IOException e) {
                failed++;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while uploading (" + phase + ").", e);
            }
        }
    }

    private byte[] noisePng() {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        byte[] pixels = new byte[28 * 28];
        random.nextBytes(pixels);
        image.getRaster().setDataElements(0, 0, 28, 28, pixels);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new IllegalStateException("Encoding a PNG in memory failed: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }
}
