package dev.ganpipe.bench.endurance;

import dev.ganpipe.broker.EmbeddedKafka;
import dev.ganpipe.common.StartedParts;
import dev.ganpipe.common.config.ConfigValues;
import dev.ganpipe.common.image.Hashes;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.kafka.TopicSetup;
import dev.ganpipe.common.metrics.MeterRegistries;
import dev.ganpipe.common.metrics.MetricNames;
import dev.ganpipe.images.source.ImageSource;
import dev.ganpipe.images.source.ImageSources;
import dev.ganpipe.images.source.SourceImage;
import dev.ganpipe.ingest.IngestConfig;
import dev.ganpipe.ingest.IngestService;
import dev.ganpipe.ingest.publish.IngestCommand;
import dev.ganpipe.ingest.publish.IngestSummary;
import dev.ganpipe.trainer.TrainerConfig;
import dev.ganpipe.trainer.TrainerService;
import dev.ganpipe.trainer.loop.TrainerStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Part 3: an embedded broker, the ingest service (the Kafka Streams normaliser) and the trainer service in this
 * process, wired as {@code ./gan demo} wires them; {@code gan ingest} publishes the images to {@code images.raw}
 * while the trainer trains. The trainer's lag (images on {@code images.train} not trained on yet, the value behind
 * {@code gan_trainer_lag_images}) is sampled every second, the gauge itself beside it; afterwards a
 * {@code read_committed} consumer counts what is on {@code images.train} and {@code images.dlq}.
 */
final class IngestWhileTraining {

    /**
     * What happened.
     *
     * @param source what was ingested
     * @param distinctSource distinct images (by content) among those sent: the image ids {@code images.train} should hold
     * @param trainRecords records on {@code images.train} (committed)
     * @param trainDistinctKeys distinct keys (image ids) on it
     * @param lagAtIngestEnd the trainer's lag once every sent image was normalised
     * @param drainSeconds from then until the lag and the backlog were 0, or NaN when they never were within the drain time
     * @param lagAtEnd the lag when the part ended
     * @param lagSamples how often the lag was sampled
     * @param lagGaugeNaN samples where the {@code gan_trainer_lag_images} gauge read NaN
     * @param maxBacklog the most images the normaliser had accepted that the trainer had not trained on: the lag
     *     measured from outside the trainer, to check its own figure against
     */
    record Result(String source, long sent, long distinctSource, long trainRecords, long trainDistinctKeys, long dlqRecords,
            long maxLag, long lagAtIngestEnd, double drainSeconds, long lagAtEnd, double ingestSeconds, long trainerSteps,
            long trainerImagesSeen, String trainerSettings, long lagSamples, long lagGaugeNaN, long maxBacklog, long backlogAtIngestEnd,
            long backlogAtEnd) {

        /** Sent images that reached neither {@code images.train} nor the DLQ. */
        long lost() {
            return sent - trainRecords - dlqRecords;
        }
    }

    private IngestWhileTraining() {
    }

    static Result run(Path work, Path dataset, int images, int generatorWidth, int discriminatorWidth, int batch, int threads,
            Duration drain, PrintStream log) throws IOException, InterruptedException {
        Files.createDirectories(work);
        StartedParts started = new StartedParts();
        try {
            EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"), 0);
            started.push(kafka);
            String bootstrap = kafka.bootstrapServers();
            try (Admin admin = Admin.create(KafkaSettings.of(bootstrap).admin("endurance-topic-setup"))) {
                TopicSetup.ensure(admin, TopicCatalog.defaults(), 3, (short) 1);
            }
            PrometheusMeterRegistry ingestMeters = MeterRegistries.prometheus("ingest");
            IngestConfig ingestConfig = IngestConfig.parse(List.of("--bootstrap-servers", bootstrap, "--port", "0", "--http-host", "127.0.0.1",
                    "--state-dir", work.resolve("streams").toString()), Map.of());
            started.push(IngestService.start(ingestConfig, ingestMeters));
            List<String> locations = sources(work, dataset, images, ingestConfig, log);
            String location = String.join(" + ", locations);

            List<String> trainerArgs = List.of("--bootstrap-servers", bootstrap, "--port", "0", "--host", "127.0.0.1",
                    "--models-dir", work.resolve("models").toString(), "--samples-dir", work.resolve("samples").toString(),
                    "--checkpoint-dir", work.resolve("checkpoints").toString(),
                    "--generator-width", Integer.toString(generatorWidth), "--discriminator-width", Integer.toString(discriminatorWidth),
                    "--batch-size", Integer.toString(batch), "--threads", Integer.toString(threads),
                    "--export-every-steps", "1000", "--export-every", "120s", "--sample-every-steps", "500",
                    // Given, not left to the first record: the trainer then starts (and registers its lag gauge) at once,
                    // and trains the unconditional 28x28 recipe this bench has always measured.
                    "--image-shape", "28x28x1", "--conditional", "false");
            String trainerSettings = String.join(" ", trainerArgs.subList(12, trainerArgs.size()));
            PrometheusMeterRegistry trainerMeters = MeterRegistries.prometheus("trainer");
            TrainerService trainer = TrainerService.start(TrainerConfig.from(ConfigValues.parse(TrainerConfig.spec(), trainerArgs, Map.of())),
                    trainerMeters);
            started.push(trainer);
            Gauge lagGauge = trainerMeters.get(MetricNames.TRAINER_LAG).gauge();

            log.printf(Locale.ROOT, "ingest: counting the distinct images among the first %d of %s ...%n", images, location);
            long distinct = distinctImages(locations, ingestConfig, images);

            IngestConfig publishConfig = IngestConfig.parse(List.of("--bootstrap-servers", bootstrap, "--limit", Integer.toString(images),
                    "--progress", "lines"), Map.of());
            AtomicReference<IngestSummary> summary = new AtomicReference<>();
            AtomicReference<Exception> publishFailure = new AtomicReference<>();
            long start = System.nanoTime();
            Thread publisher = Thread.ofPlatform().name("endurance-ingest").start(() -> {
                try {
                    summary.set(IngestCommand.run(publishConfig, locations, log));
                } catch (IOException | RuntimeException e) {
                    publishFailure.set(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    publishFailure.set(e);
                }
            });
            LagWatch watch = new LagWatch(lagGauge, trainer, ingestMeters, log, start);
            while (publisher.isAlive()) {
                publisher.join(Duration.ofSeconds(1));
                watch.sample(false);
            }
            if (publishFailure.get() != null) {
                throw new IllegalStateException("Publishing " + location + " failed: " + publishFailure.get().getMessage(), publishFailure.get());
            }
            long sent = summary.get().sent();
            // The normaliser has seen every image once its counters add up to what the broker acknowledged.
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (normalised(ingestMeters) < sent && System.nanoTime() < deadline) {
                Thread.sleep(1000);
                watch.sample(false);
            }
            double ingestSeconds = (System.nanoTime() - start) / 1e9;
            log.printf(Locale.ROOT, "ingest: %d sent and %d normalised after %.0f s; the trainer drains its lag for up to %d s ...%n", sent,
                    normalised(ingestMeters), ingestSeconds, drain.toSeconds());
            Thread.sleep(2000); // one more poll of the trainer's consumer, so its lag includes the last records
            long lagAtIngestEnd = watch.sample(true);
            long backlogAtIngestEnd = watch.backlog();
            long drainStart = System.nanoTime();
            long drainEnd = drainStart + drain.toNanos();
            double drainSeconds = Double.NaN;
            while (System.nanoTime() < drainEnd) {
                if (watch.sample(false) == 0 && watch.backlog() <= 0) {
                    drainSeconds = (System.nanoTime() - drainStart) / 1e9;
                    break;
                }
                Thread.sleep(1000);
            }
            long lagAtEnd = watch.sample(true);

            Counts train = countUntil(bootstrap, TopicCatalog.DEFAULT_IMAGES_TRAIN, sent, Duration.ofSeconds(60));
            Counts dlq = count(bootstrap, TopicCatalog.DEFAULT_IMAGES_DLQ);
            if (train.records() + dlq.records() < sent) {
                train = countUntil(bootstrap, TopicCatalog.DEFAULT_IMAGES_TRAIN, sent - dlq.records(), Duration.ofSeconds(30));
            }
            return new Result(location, sent, distinct, train.records(), train.distinctKeys(), dlq.records(), watch.max(), lagAtIngestEnd,
                    drainSeconds, lagAtEnd, ingestSeconds, trainer.status().step(), trainer.status().imagesSeen(), trainerSettings,
                    watch.samples(), watch.gaugeNaN(), watch.maxBacklog(), backlogAtIngestEnd, watch.backlog());
        } finally {
            started.closeOnce("Stopping the services of the ingest part failed; see the suppressed exceptions.");
        }
    }

    /**
     * The trainer's lag, sampled: the maximum, and a progress line every 15 s. The figure is the trainer's own
     * {@code TrainingFeed.lag()} (what {@code /v1/status} reports); the {@code gan_trainer_lag_images} gauge that
     * Prometheus scrapes is read beside it, and samples where it is NaN (its supplier gone) are counted.
     */
    private static final class LagWatch {
        private final Gauge gauge;
        private final TrainerService trainer;
        private final PrometheusMeterRegistry ingestMeters;
        private final PrintStream log;
        private final long start;
        private final AtomicLong max = new AtomicLong();
        private final AtomicLong maxBacklog = new AtomicLong();
        private long backlog;
        private long samples;
        private long gaugeNaN;
        private long nextReport;

        LagWatch(Gauge gauge, TrainerService trainer, PrometheusMeterRegistry ingestMeters, PrintStream log, long start) {
            this.gauge = gauge;
            this.trainer = trainer;
            this.ingestMeters = ingestMeters;
            this.log = log;
            this.start = start;
            this.nextReport = start;
        }

        long sample(boolean report) {
            TrainerStatus status = trainer.status();
            long lag = status.lag();
            backlog = accepted(ingestMeters) - status.imagesSeen();
            maxBacklog.accumulateAndGet(backlog, Math::max);
            double scraped = gauge.value();
            samples++;
            if (Double.isNaN(scraped)) {
                gaugeNaN++;
            }
            max.accumulateAndGet(lag, Math::max);
            if (report || System.nanoTime() >= nextReport) {
                log.printf(Locale.ROOT, "ingest: %5.0f s  trainer %-16s step %6d  images trained %6d  lag %6d (max %d; gauge %s)  "
                        + "accepted - trained %6d (max %d)%n", (System.nanoTime() - start) / 1e9, status.state(), status.step(),
                        status.imagesSeen(), lag, max.get(), Double.isNaN(scraped) ? "NaN" : Long.toString(Math.round(scraped)), backlog,
                        maxBacklog.get());
                nextReport = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            }
            return lag;
        }

        long max() {
            return max.get();
        }

        /** Images the normaliser accepted that the trainer has not trained on, at the last sample. */
        long backlog() {
            return backlog;
        }

        long maxBacklog() {
            return maxBacklog.get();
        }

        long samples() {
            return samples;
        }

        long gaugeNaN() {
            return gaugeNaN;
        }
    }

    /** Images the normaliser accepted (on their way to {@code images.train}). */
    private static long accepted(PrometheusMeterRegistry meters) {
        return Math.round(meters.find(MetricNames.INGEST_IMAGES).tag(MetricNames.TAG_OUTCOME, MetricNames.OUTCOME_ACCEPTED).counters().stream()
                .mapToDouble(Counter::count).sum());
    }

    /** Images the normaliser has judged (accepted, rejected or held back as duplicates). */
    private static long normalised(PrometheusMeterRegistry meters) {
        return Math.round(meters.find(MetricNames.INGEST_IMAGES).counters().stream().mapToDouble(Counter::count).sum());
    }

    /**
     * What to ingest: the dataset, topped up with varied copies of the bundled sample when it holds fewer images than
     * asked for (the shared Fashion-MNIST training set holds 59,999), or only those copies when it is absent.
     */
    private static List<String> sources(Path work, Path dataset, int images, IngestConfig config, PrintStream log) throws IOException {
        List<String> locations = new ArrayList<>();
        long available = 0;
        if (Files.exists(dataset)) {
            try (ImageSource source = ImageSources.open(dataset.toString(), config.sourceOptions())) {
                available = source.size().orElse(0);
            }
            locations.add(dataset.toString());
        }
        if (available < images) {
            Path file = work.resolve("varied-images-idx3-ubyte");
            log.printf(Locale.ROOT, "ingest: %s %s; adding %d varied copies of the bundled sample from %s%n", dataset,
                    Files.exists(dataset) ? "holds " + available + " images" : "is absent", images - available, file);
            locations.add(VariedImages.writeIdx(file, (int) (images - available)).toString());
        }
        return locations;
    }

    /** Distinct images by content among the first {@code limit} of the locations, read as ingest reads them. */
    private static long distinctImages(List<String> locations, IngestConfig config, int limit) throws IOException {
        Set<String> hashes = new HashSet<>();
        int read = 0;
        for (String location : locations) {
            try (ImageSource source = ImageSources.open(location, config.sourceOptions())) {
                for (Optional<SourceImage> next = source.next(); next.isPresent() && read < limit; next = source.next()) {
                    hashes.add(Hashes.sha256(next.get().encodedBytes()));
                    read++;
                }
            }
        }
        return hashes.size();
    }

    record Counts(long records, long distinctKeys) {
    }

    private static Counts countUntil(String bootstrap, String topic, long expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Counts counts = count(bootstrap, topic);
        while (counts.records() < expected && System.nanoTime() < deadline) {
            Thread.sleep(2000);
            counts = count(bootstrap, topic);
        }
        return counts;
    }

    /** Committed records of a topic and their distinct keys, read from the beginning to the last stable offsets. */
    static Counts count(String bootstrap, String topic) {
        Properties props = KafkaSettings.of(bootstrap).groupless("endurance-count");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long records = 0;
            Set<String> keys = new HashSet<>();
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Reading " + topic + " to its end took over 5 minutes; the broker is too slow or stuck, "
                            + "check its log.");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    records++;
                    keys.add(r.key() == null ? "" : Hashes.sha256(r.key()));
                }
            }
            return new Counts(records, keys.size());
        }
    }
}
