package dev.ganpipe.bench.ingest;

import dev.ganpipe.bench.scratch.ScratchFolder;
import dev.ganpipe.broker.EmbeddedKafka;
import dev.ganpipe.common.config.CommandLine;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.kafka.TopicSetup;
import dev.ganpipe.common.metrics.MeterRegistries;
import dev.ganpipe.images.source.ImageSource;
import dev.ganpipe.images.source.ImageSources;
import dev.ganpipe.images.source.SampleData;
import dev.ganpipe.images.source.SourceImage;
import dev.ganpipe.ingest.IngestConfig;
import dev.ganpipe.ingest.IngestService;
import dev.ganpipe.ingest.publish.IngestCommand;
import dev.ganpipe.ingest.publish.IngestSummary;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * {@code ./gan bench ingest}: in one run on one embedded KRaft broker,
 * <ol>
 *   <li>Kafka's own {@code ProducerPerformance} at the mean encoded Fashion-MNIST PNG size, with the producer settings
 *   our CLI uses (idempotent, {@code acks=all}, same batching and compression);</li>
 *   <li>the {@code gan ingest} CLI publishing Fashion-MNIST (reading the IDX files, encoding PNGs, CloudEvents
 *   headers, every send acknowledged);</li>
 *   <li>the exactly-once normaliser turning what the CLI sent into {@code images.train} (counted on the output topics
 *   with a {@code read_committed} consumer, so only committed records count);</li>
 * </ol>
 * beside the trainer's demand (an input, {@code --trainer-demand}). Each of the first two gets a short untimed
 * warm-up run that also sizes the timed run to about {@code --seconds}. The output is a table with the machine and
 * ends with the two ratio lines.
 */
public final class IngestBench {

    /** Records in each warm-up run of the producer tool. */
    static final int PERF_WARMUP_RECORDS = 20_000;
    /** Images in the CLI's warm-up run. */
    static final int INGEST_WARMUP_IMAGES = 5_000;
    /** Images whose encoded size makes the mean record size. */
    static final int SIZE_SAMPLE = 10_000;

    private static final String PERF_TOPIC = "bench.producer-perf";

    private IngestBench() {
    }

    /**
     * Runs with the given arguments (a {@link dev.ganpipe.bench.Bench}), printing the report to {@code out} and progress
     * to {@code err}; returns the exit code.
     */
    public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        CommandLine.Parsed<IngestBenchConfig> parsed = CommandLine.of(IngestBenchConfig.spec(), "gan bench ingest", 2)
                .parse(args, env, out, err, IngestBenchConfig::from);
        if (parsed.done()) {
            return parsed.exitCode();
        }
        IngestBenchConfig config = parsed.value();
        try {
            List<String> lines = measure(config, err);
            lines.forEach(out::println);
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("gan bench ingest: the benchmark failed: " + e.getMessage());
            e.printStackTrace(err);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("gan bench ingest: interrupted.");
            return 130;
        }
    }

    /** Runs the measurements and returns the report lines. */
    static List<String> measure(IngestBenchConfig config, PrintStream log) throws IOException, InterruptedException {
        Machine machine = Machine.current();
        String data = dataLocation(config.data(), log);
        long available = countImages(data);
        double meanBytes = meanEncodedBytes(data);
        int recordSize = (int) Math.round(meanBytes);
        log.printf(Locale.ROOT, "bench: %s holds %d images; mean encoded PNG %.1f bytes%n", data, available, meanBytes);

        // A broker of its own in a temporary folder, unless --work-dir names one to keep.
        Optional<ScratchFolder> scratch = config.workDir().isPresent() ? Optional.empty()
                : Optional.of(ScratchFolder.create("gan-bench-ingest"));
        Path work = config.workDir().orElseGet(() -> scratch.orElseThrow().path());
        List<IngestMeasurement> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"), 0)) {
            KafkaSettings settings = KafkaSettings.of(kafka.bootstrapServers());
            TopicCatalog topics = TopicCatalog.defaults();
            try (Admin admin = Admin.create(settings.admin("bench-admin"))) {
                TopicSetup.ensure(admin, topics, config.partitions(), (short) 1);
                admin.createTopics(List.of(new NewTopic(PERF_TOPIC, config.partitions(), (short) 1))).all().get();
                awaitLogs(admin, List.of(PERF_TOPIC, topics.imagesRaw(), topics.imagesTrain(), topics.imagesDlq()), config.partitions());
            } catch (ExecutionException e) {
                throw new IllegalStateException("Could not create the benchmark topics: " + e.getCause().getMessage(), e);
            }
            IngestConfig ingest = IngestConfig.parse(List.of("--bootstrap-servers", kafka.bootstrapServers(), "--progress", "off",
                    "--create-topics", "false", "--port", "0", "--http-host", "127.0.0.1", "--application-id", "bench-ingest",
                    "--stream-threads", Integer.toString(config.streamThreads()), "--state-dir", work.resolve("streams").toString()),
                    Map.of());
            Properties producer = settings.producer("bench-producer-perf");

            // Warm-ups: JIT, connections, metadata; their rates size the first timed runs to about --seconds each.
            ProducerPerfRun.Result perfWarmup = ProducerPerfRun.run(PERF_TOPIC, PERF_WARMUP_RECORDS, recordSize, producer);
            long perfRecords = Math.max(1_000, Math.round(perfWarmup.recordsPerSecond() * config.seconds()));
            IngestSummary cliWarmup = ingestCli(ingest, data, Math.min(INGEST_WARMUP_IMAGES, available), available, log);
            long cliImages = Math.max(1_000, Math.round(cliWarmup.imagesPerSecond() * config.seconds()));
            long perfSent = perfWarmup.records();
            long published = cliWarmup.sent();

            List<IngestMeasurement> perfRuns = new ArrayList<>();
            List<IngestMeasurement> cliRuns = new ArrayList<>();
            for (int round = 1; round <= config.rounds(); round++) {
                ProducerPerfRun.Result perf = ProducerPerfRun.run(PERF_TOPIC, perfRecords, recordSize, producer);
                perfSent += perf.records();
                perfRuns.add(new IngestMeasurement("kafka ProducerPerformance (" + recordSize + " B records)", perf.records(),
                        Duration.ofNanos(Math.round(perf.records() / perf.recordsPerSecond() * 1e9)), perf.recordsPerSecond(), recordSize,
                        "in-process; acks=all, idempotent, linger 5 ms, lz4 (the CLI's producer settings)"));
                IngestSummary cli = ingestCli(ingest, data, cliImages, available, log);
                published += cli.sent();
                cliRuns.add(IngestMeasurement.of("gan ingest CLI (Fashion-MNIST -> images.raw)", cli.sent(), cli.elapsed(), meanBytes,
                        "IDX read, PNG encode, CloudEvents headers, every send acked"));
                log.printf(Locale.ROOT, "bench: round %d: ProducerPerformance %.0f records/s, CLI %.0f images/s%n", round,
                        perf.recordsPerSecond(), cli.imagesPerSecond());
                // A warm-up runs slower than the steady state: size each next run from the latest rate.
                perfRecords = Math.max(1_000, Math.round(perf.recordsPerSecond() * config.seconds()));
                cliImages = Math.max(1_000, Math.round(cli.imagesPerSecond() * config.seconds()));
            }
            rows.add(median(perfRuns));
            rows.add(median(cliRuns));
            rows.add(normaliser(ingest, published, config, meanBytes, log));
            try (Admin admin = Admin.create(settings.admin("bench-admin"))) {
                notes.add(String.format(Locale.ROOT, "on disk after the producers' lz4: ProducerPerformance %.0f B/record, CLI %.0f B/record",
                        (double) topicBytes(admin, PERF_TOPIC) / perfSent, (double) topicBytes(admin, topics.imagesRaw()) / published));
            } catch (ExecutionException e) {
                throw new IllegalStateException("Could not read the topics' sizes: " + e.getCause().getMessage(), e);
            }
        } finally {
            scratch.ifPresent(ScratchFolder::close);
        }
        rows.add(new IngestMeasurement("trainer demand (assumed, --trainer-demand)", 0, Duration.ZERO, config.trainerDemand(), meanBytes,
                "batch 64 x ~3.5 steps/s (2 cores) x (1 - replay 0.5)"));
        return report(machine, config, data, meanBytes, rows, notes);
    }

    /** The run with the median throughput. */
    static IngestMeasurement median(List<IngestMeasurement> runs) {
        List<IngestMeasurement> sorted = runs.stream().sorted(Comparator.comparingDouble(IngestMeasurement::recordsPerSecond)).toList();
        IngestMeasurement m = sorted.get(sorted.size() / 2);
        String spread = sorted.size() == 1 ? "" : String.format(Locale.ROOT, "; median of %d runs (%.0f..%.0f)", sorted.size(),
                sorted.getFirst().recordsPerSecond(), sorted.getLast().recordsPerSecond());
        return new IngestMeasurement(m.name(), m.records(), m.elapsed(), m.recordsPerSecond(), m.bytesPerRecord(), m.note() + spread);
    }

    /**
     * Waits until the broker holds a log for every partition of the topics: a partition is in the metadata a moment
     * before the broker can append to it, and an idempotent producer racing that moment can have its first batch
     * refused and a later one accepted, which then fails the retried first as out of order.
     */
    private static void awaitLogs(Admin admin, List<String> topics, int partitions) throws ExecutionException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            long logs = 0;
            for (var dirs : admin.describeLogDirs(List.of(1)).allDescriptions().get().values()) {
                for (var dir : dirs.values()) {
                    logs += dir.replicaInfos().keySet().stream().filter(tp -> topics.contains(tp.topic())).count();
                }
            }
            if (logs == (long) topics.size() * partitions) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The broker did not open the benchmark topics' partitions within 30 s.");
            }
            Thread.sleep(20);
        }
    }

    /** Bytes the broker holds for a topic, over all its partitions. */
    private static long topicBytes(Admin admin, String topic) throws ExecutionException, InterruptedException {
        long bytes = 0;
        for (var dirs : admin.describeLogDirs(List.of(1)).allDescriptions().get().values()) {
            for (var dir : dirs.values()) {
                for (var replica : dir.replicaInfos().entrySet()) {
                    if (replica.getKey().topic().equals(topic)) {
                        bytes += replica.getValue().size();
                    }
                }
            }
        }
        return bytes;
    }

    /** Publishes {@code images} images, cycling over the data set when it holds fewer. */
    private static IngestSummary ingestCli(IngestConfig ingest, String data, long images, long available, PrintStream log)
            throws IOException, InterruptedException {
        IngestConfig limited = IngestConfig.parse(withLimit(ingest, images), Map.of());
        List<String> locations = Collections.nCopies((int) Math.min(Integer.MAX_VALUE, (images + available - 1) / available), data);
        IngestSummary summary = IngestCommand.run(limited, locations, log);
        if (summary.sent() != images) {
            throw new IllegalStateException("The CLI sent " + summary.sent() + " of " + images + " images; see the summary above.");
        }
        return summary;
    }

    private static List<String> withLimit(IngestConfig ingest, long images) {
        return List.of("--bootstrap-servers", ingest.kafka().bootstrapServers(), "--progress", "off", "--limit", Long.toString(images));
    }

    /**
     * Starts the ingest service on the records the CLI published and counts committed outputs until all are there or
     * the time is up; the clock starts when the Streams app reports RUNNING.
     */
    private static IngestMeasurement normaliser(IngestConfig ingest, long published, IngestBenchConfig config, double meanBytes, PrintStream log)
            throws InterruptedException {
        Properties props = ingest.kafka().groupless("bench-count");
        try (KafkaConsumer<byte[], byte[]> outputs = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                IngestService service = IngestService.start(ingest, MeterRegistries.prometheus("bench-ingest"))) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(ingest.topics().imagesTrain(), ingest.topics().imagesDlq())) {
                outputs.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            outputs.assign(partitions);
            outputs.seekToBeginning(partitions);
            Instant waitUntil = Instant.now().plusSeconds(60);
            while (service.state() != KafkaStreams.State.RUNNING) {
                if (Instant.now().isAfter(waitUntil) || service.state() == KafkaStreams.State.ERROR) {
                    throw new IllegalStateException("The normaliser did not reach RUNNING within 60 s (state " + service.state() + ").");
                }
                Thread.sleep(10);
            }
            Instant start = Instant.now();
            Instant deadline = start.plusSeconds(config.seconds());
            long count = 0;
            Instant last = start;
            while (count < published && Instant.now().isBefore(deadline)) {
                int got = outputs.poll(Duration.ofMillis(100)).count();
                if (got > 0) {
                    count += got;
                    last = Instant.now();
                }
            }
            boolean complete = count >= published;
            Duration elapsed = Duration.between(start, complete ? last : Instant.now());
            log.printf(Locale.ROOT, "bench: normaliser committed %d of %d records%s%n", count, published, complete ? "" : " before the time was up");
            return IngestMeasurement.of("normaliser (images.raw -> images.train)", count, elapsed, meanBytes,
                    config.streamThreads() + " stream thread(s), exactly-once; from RUNNING to the last committed output");
        }
    }

    static List<String> report(Machine machine, IngestBenchConfig config, String data, double meanBytes, List<IngestMeasurement> rows, List<String> notes) {
        List<String> lines = new ArrayList<>();
        lines.add("Ingest benchmark (" + Instant.now() + ")");
        lines.add("machine: " + machine.describe());
        lines.add(String.format(Locale.ROOT, "broker: embedded KRaft, same JVM; %d partitions; timed runs of about %d s; %d alternated rounds",
                config.partitions(), config.seconds(), config.rounds()));
        lines.add(String.format(Locale.ROOT, "data: %s; mean encoded PNG %.1f bytes", data, meanBytes));
        lines.add("");
        lines.add(String.format(Locale.ROOT, "| %-40s | %9s | %7s | %11s | %7s | %s |", "measurement", "records", "seconds", "records/s", "MB/s", "note"));
        lines.add("|" + "-".repeat(42) + "|" + "-".repeat(11) + ":|" + "-".repeat(8) + ":|" + "-".repeat(12) + ":|" + "-".repeat(8) + ":|------|");
        rows.forEach(r -> lines.add(r.row()));
        lines.add("");
        notes.forEach(lines::add);
        lines.add("trainer demand: an input, not measured here (--trainer-demand).");
        lines.add("");
        double perf = rows.get(0).recordsPerSecond();
        double cli = rows.get(1).recordsPerSecond();
        double normaliser = rows.get(2).recordsPerSecond();
        lines.add(String.format(Locale.ROOT, "ratio ingest_vs_producer_perf %.3f", cli / perf));
        lines.add(String.format(Locale.ROOT, "ratio normaliser_vs_trainer_demand %.2f", normaliser / config.trainerDemand()));
        return lines;
    }

    /** The data to ingest: the given path when it exists, else the bundled sample (said on {@code log}). */
    private static String dataLocation(Path data, PrintStream log) {
        if (Files.exists(data)) {
            return data.toString();
        }
        log.println("bench: note: " + data.toAbsolutePath() + " does not exist; using the bundled 500-image sample ("
                + SampleData.FASHION_MNIST + ") instead. Pass --data with the Fashion-MNIST folder for the real figures.");
        return SampleData.FASHION_MNIST;
    }

    private static long countImages(String data) throws IOException {
        try (ImageSource source = ImageSources.open(data, IngestConfig.parse(List.of(), Map.of()).sourceOptions())) {
            if (source.size().isPresent()) {
                return source.size().getAsLong();
            }
            long n = 0;
            while (source.next().isPresent()) {
                n++;
            }
            return n;
        }
    }

    private static double meanEncodedBytes(String data) throws IOException {
        try (ImageSource source = ImageSources.open(data, IngestConfig.parse(List.of(), Map.of()).sourceOptions())) {
            long n = 0;
            long bytes = 0;
            Optional<SourceImage> next;
            while (n < SIZE_SAMPLE && (next = source.next()).isPresent()) {
                bytes += next.get().encodedBytes().length;
                n++;
            }
            if (n == 0) {
                throw new IllegalArgumentException(data + " holds no images; pass --data with the Fashion-MNIST folder.");
            }
            return (double) bytes / n;
        }
    }
}
