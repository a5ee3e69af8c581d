package dev.ganpipe.bench.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ganpipe.common.config.CommandLine;
import dev.ganpipe.common.config.ConfigException;
import dev.ganpipe.common.host.Host;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.trainer.gan.Augmentation;
import dev.ganpipe.trainer.gan.GanConfig;
import dev.ganpipe.trainer.gan.GanTrainingCore;
import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code ./gan bench trainer}: in one run on one machine, images per second of
 *
 * <ol>
 *   <li>the trainer's step ({@link GanTrainingCore#trainStep}) fed from memory, next to a PyTorch eager reference
 *       of the same architecture, batch size and thread count, for dcgan28 and dcgan64;
 *   <li>the trainer fed from a real Kafka broker ({@code TrainingFeed}, {@code BatchAssembler}) next to the
 *       in-memory run, with the share of time spent waiting for data: the broker {@code --bootstrap-servers} names,
 *       or else one the bench starts in this process and stops at the end ({@link FeedBroker});
 *   <li>the trainer's step with DiffAugment at its costliest (every operation on every image) next to the plain one,
 *       for dcgan28 and dcgan64: issue 18 asks that augmentation keep at least 0.9x the images/s.
 * </ol>
 *
 * <p>It prints the machine, a Markdown table, and ends with one {@code ratio <name> <value>} line per ratio
 * ({@value #RATIO_DCGAN28}, {@value #RATIO_DCGAN64}, {@value #RATIO_KAFKA}, {@value #RATIO_AUGMENT_DCGAN28} ...) for scripts; a ratio that could not
 * be measured is {@code NaN}, with the reason in the table and on stderr. Exit code 0 when every ratio was measured,
 * 1 when one was not, 2 for a usage error.
 */
public final class TrainerBench {

    public static final String RATIO_DCGAN28 = "trainer_vs_pytorch_dcgan28";
    public static final String RATIO_DCGAN64 = "trainer_vs_pytorch_dcgan64";
    public static final String RATIO_KAFKA = "kafka_vs_memory";
    /** Against PyTorch computing each resize-convolution as the trainer does (four 2x2 convolutions): same arithmetic. */
    public static final String RATIO_PHASE_DCGAN28 = "trainer_vs_pytorch_phase_dcgan28";
    public static final String RATIO_PHASE_DCGAN64 = "trainer_vs_pytorch_phase_dcgan64";
    /** The trainer's images/s with DiffAugment on every image (all operations, p = 1: the most it costs) over without. */
    public static final String RATIO_AUGMENT_DCGAN28 = "augment_vs_plain_dcgan28";
    public static final String RATIO_AUGMENT_DCGAN64 = "augment_vs_plain_dcgan64";
    /** The costliest augmentation: every operation on every image, as {@code --augment diffaugment} does by default. */
    static final Augmentation FULL_AUGMENTATION = Augmentation.parse("diffaugment", String.join(",", Augmentation.OPERATIONS), 1,
            Augmentation.DEFAULT_TARGET);
    /** The reference script's option for the trainer's resize-convolution; its default is the idiomatic interpolate + conv. */
    static final List<String> PHASE = List.of("--upsample", "phase");
    static final String AUGMENTED_SIDE = "trainer, memory, DiffAugment";

    /** Distinct in-memory batches each side cycles through. */
    static final int MEMORY_BATCHES = 4;
    /** Fashion-MNIST images read for dcgan28 and the Kafka-fed run (cycled when more are needed). */
    static final int MAX_DATASET_IMAGES = 20_000;
    static final long DATA_SEED = 1L;

    private final TrainerBenchConfig config;
    private final PrintStream out;
    private final PrintStream log;

    private TrainerBench(TrainerBenchConfig config, PrintStream out, PrintStream log) {
        this.config = config;
        this.out = out;
        this.log = log;
    }

    /** Runs the bench with these command-line arguments (a {@link dev.ganpipe.bench.Bench}); the report goes to {@code out}, progress to {@code log}. */
    public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream log) {
        CommandLine.Parsed<TrainerBenchConfig> parsed = CommandLine.of(TrainerBenchConfig.spec(), "gan", 2).parse(args, env, out, log, values -> {
            if (!values.positional().isEmpty()) {
                throw new ConfigException("'gan bench trainer' takes no arguments besides options, but got " + values.positional()
                        + "; run it with --help to list the options.");
            }
            return TrainerBenchConfig.from(values, Runtime.getRuntime().availableProcessors(), env);
        });
        if (parsed.done()) {
            return parsed.exitCode();
        }
        TrainerBenchConfig config = parsed.value();
        try {
            return new TrainerBench(config, out, log).execute();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.println("gan: the bench was interrupted.");
            return 1;
        } catch (RuntimeException e) {
            e.printStackTrace(log);
            log.println("gan: the trainer bench failed: " + e.getMessage() + " (the stack trace above says where).");
            return 1;
        }
    }

    /** One line of the table: a measurement, or why there is none. */
    record Row(String model, String side, Optional<Throughput> result, String notes) {
    }

    /** One line of the table, measured once per round. */
    private record Task(String label, Measurement measurement) {
    }

    @FunctionalInterface
    private interface Measurement {
        Row measure() throws InterruptedException;
    }

    /** The rounds of one row as one row: totals when every round measured, else the first reason why not. */
    static Row combine(List<Row> rounds) {
        Row first = rounds.getFirst();
        Optional<Row> missing = rounds.stream().filter(r -> r.result().isEmpty()).findFirst();
        if (missing.isPresent()) {
            return missing.get();
        }
        String notes = String.join(" / ", rounds.stream().map(Row::notes).distinct().toList());
        return new Row(first.model(), first.side(),
                Optional.of(Throughput.combine(rounds.stream().map(r -> r.result().orElseThrow()).toList())), notes);
    }

    private int execute() throws InterruptedException {
        Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String loadBefore = Host.loadAverage();
        MachineInfo machine = MachineInfo.describe();
        log.printf("Trainer bench: %d s per measurement, %d warm-up steps, batch %d, %d threads, on %d cores.%n",
                config.measure().toSeconds(), config.warmupSteps(), config.batch(), config.threads(), machine.cores());

        Optional<PyTorchReference> reference = Optional.empty();
        String pytorchMissing = "skipped (--skip-pytorch)";
        if (!config.skipPytorch()) {
            switch (PyTorchReference.locate(config.python(), log)) {
                case PyTorchReference.Available a -> reference = Optional.of(a.reference());
                case PyTorchReference.Unavailable u -> {
                    pytorchMissing = "skipped: " + u.reason();
                    log.println("PyTorch rows " + pytorchMissing + ".");
                }
            }
        }
        try {
            Optional<FeedBroker> broker = Optional.empty();
            String kafkaMissing = "skipped (--skip-kafka)";
            if (!config.skipKafka()) {
                try {
                    FeedBroker b = config.kafka().map(FeedBroker::named).orElseGet(() -> FeedBroker.embedded(log));
                    Optional<String> unreachable = b.unreachable();
                    if (unreachable.isPresent()) {
                        b.close();
                        kafkaMissing = "not measured: " + unreachable.get();
                    } else {
                        broker = Optional.of(b);
                    }
                } catch (RuntimeException e) {
                    e.printStackTrace(log);
                    kafkaMissing = "not measured: the bench's own Kafka broker did not start (" + e.getMessage() + ")";
                }
                if (broker.isEmpty()) {
                    log.println("Kafka-fed row " + kafkaMissing + ".");
                }
            }
            try {
                return measureAll(machine, reference, pytorchMissing, broker, kafkaMissing, started, loadBefore);
            } finally {
                broker.ifPresent(FeedBroker::close);
            }
        } finally {
            reference.ifPresent(PyTorchReference::close);
        }
    }

    private int measureAll(MachineInfo machine, Optional<PyTorchReference> reference, String pytorchMissing, Optional<FeedBroker> broker,
            String kafkaMissing, Instant started, String loadBefore) throws InterruptedException {
        int batch = config.batch();
        BenchImages fashion = BenchImages.fashionMnistOrGenerated(config.data(), MAX_DATASET_IMAGES, DATA_SEED);
        BenchImages rgb64 = BenchImages.generated(new ImageShape(64, 64, 3), MEMORY_BATCHES * batch, DATA_SEED,
                "generated 64x64 RGB rectangles");
        GanConfig dcgan28 = GanConfig.dcgan28().withThreads(config.threads());
        GanConfig dcgan64 = GanConfig.dcgan64().withWidths(config.dcgan64Width(), config.dcgan64Width()).withThreads(config.threads());
        String model28 = "dcgan28 28x28x1 w" + dcgan28.generatorWidth();
        String model64 = "dcgan64 64x64x3 w" + dcgan64.generatorWidth();

        List<List<Row>> measured = new ArrayList<>();
        // The Kafka-fed run sizes its topic from the first in-memory dcgan28 run, which the first round measures first.
        Supplier<Throughput> memoryRate = () -> measured.getFirst().getFirst().result().orElseThrow();
        List<Task> tasks = List.of(
                new Task("dcgan28, trainer fed from memory",
                        () -> new Row(model28, "trainer, memory", Optional.of(memory(dcgan28, fashion)), fashion.source())),
                new Task("dcgan28, trainer fed from Kafka", () -> broker.isEmpty()
                        ? new Row(model28, "trainer, Kafka-fed", Optional.empty(), kafkaMissing)
                        : kafka(broker.get(), dcgan28, fashion, memoryRate.get(), model28)),
                new Task("dcgan28, PyTorch eager reference",
                        () -> pytorch(reference, pytorchMissing, "dcgan28", dcgan28, model28, List.of())),
                new Task("dcgan28, PyTorch eager with the trainer's resize-convolution",
                        () -> pytorch(reference, pytorchMissing, "dcgan28", dcgan28, model28, PHASE)),
                new Task("dcgan64, trainer fed from memory",
                        () -> new Row(model64, "trainer, memory", Optional.of(memory(dcgan64, rgb64)), rgb64.source())),
                new Task("dcgan64, PyTorch eager reference",
                        () -> pytorch(reference, pytorchMissing, "dcgan64", dcgan64, model64, List.of())),
                new Task("dcgan64, PyTorch eager with the trainer's resize-convolution",
                        () -> pytorch(reference, pytorchMissing, "dcgan64", dcgan64, model64, PHASE)),
                new Task("dcgan28, trainer fed from memory, DiffAugment",
                        () -> new Row(model28, AUGMENTED_SIDE, Optional.of(memory(dcgan28.withAugmentation(FULL_AUGMENTATION), fashion)),
                                fashion.source())),
                new Task("dcgan64, trainer fed from memory, DiffAugment",
                        () -> new Row(model64, AUGMENTED_SIDE, Optional.of(memory(dcgan64.withAugmentation(FULL_AUGMENTATION), rgb64)),
                                rgb64.source())));
        tasks.forEach(t -> measured.add(new ArrayList<>()));
        for (int round = 0; round < config.rounds(); round++) {
            for (int k = 0; k < tasks.size(); k++) {
                int i = round % 2 == 0 ? k : tasks.size() - 1 - k; // A B B A: drift in the machine's load cancels out
                log.printf("[round %d/%d, %d/%d] %s ...%n", round + 1, config.rounds(), k + 1, tasks.size(), tasks.get(i).label());
                measured.get(i).add(tasks.get(i).measurement().measure());
            }
        }
        List<Row> rows = measured.stream().map(TrainerBench::combine).toList();
        Row java28Row = rows.get(0);
        Row kafkaRow = rows.get(1);
        Row py28 = rows.get(2);
        Row py28Phase = rows.get(3);
        Row java64Row = rows.get(4);
        Row py64 = rows.get(5);
        Row py64Phase = rows.get(6);
        Row augmented28 = rows.get(7);
        Row augmented64 = rows.get(8);
        Throughput java28 = java28Row.result().orElseThrow();
        Throughput java64 = java64Row.result().orElseThrow();

        String loadAfter = Host.loadAverage();
        double ratio28 = ratio(Optional.of(java28), py28.result());
        double ratio64 = ratio(Optional.of(java64), py64.result());
        double ratioKafka = ratio(kafkaRow.result(), Optional.of(java28));
        double ratioPhase28 = ratio(Optional.of(java28), py28Phase.result());
        double ratioPhase64 = ratio(Optional.of(java64), py64Phase.result());
        double ratioAugment28 = ratio(augmented28.result(), Optional.of(java28));
        double ratioAugment64 = ratio(augmented64.result(), Optional.of(java64));

        printMachine(machine, reference, broker, started, loadBefore, loadAfter);
        printTable(rows, broker);
        out.println();
        out.println("| ratio (images/s) | wall clock | by CPU time per image | target |");
        out.println("|---|---:|---:|---:|");
        out.printf(Locale.ROOT, "| trainer / PyTorch, dcgan28 | %s | %s | >= 1.00x |%n", times(ratio28),
                times(cpuRatio(Optional.of(java28), py28.result())));
        out.printf(Locale.ROOT, "| trainer / PyTorch, dcgan64 | %s | %s | >= 1.00x |%n", times(ratio64),
                times(cpuRatio(Optional.of(java64), py64.result())));
        out.printf(Locale.ROOT, "| Kafka-fed / memory, dcgan28 | %s | %s | >= 0.95x |%n", times(ratioKafka),
                times(cpuRatio(kafkaRow.result(), Optional.of(java28))));
        out.printf(Locale.ROOT, "| trainer / PyTorch with the trainer's resize-convolution, dcgan28 | %s | %s | (same arithmetic) |%n",
                times(ratioPhase28), times(cpuRatio(Optional.of(java28), py28Phase.result())));
        out.printf(Locale.ROOT, "| trainer / PyTorch with the trainer's resize-convolution, dcgan64 | %s | %s | (same arithmetic) |%n",
                times(ratioPhase64), times(cpuRatio(Optional.of(java64), py64Phase.result())));
        out.printf(Locale.ROOT, "| trainer with DiffAugment (all operations, p = 1) / without, dcgan28 | %s | %s | >= 0.90x |%n",
                times(ratioAugment28), times(cpuRatio(augmented28.result(), Optional.of(java28))));
        out.printf(Locale.ROOT, "| trainer with DiffAugment (all operations, p = 1) / without, dcgan64 | %s | %s | >= 0.90x |%n",
                times(ratioAugment64), times(cpuRatio(augmented64.result(), Optional.of(java64))));
        out.println();
        out.println("Wall clock is what the ratio lines report. CPU time per image counts every thread of each process "
                + "and varies less when other work shares the cores; the two agree on a quiet machine.");
        if (config.profile()) {
            out.println();
            try {
                new TrainerProfile(config, out, log).run(List.of(
                        new TrainerProfile.Target("dcgan28", dcgan28, fashion, java28, py28.result()),
                        new TrainerProfile.Target("dcgan64", dcgan64, rgb64, java64, py64.result())), reference);
            } catch (RuntimeException e) {
                // The measurements above stand; the ratio lines must still end the output.
                e.printStackTrace(log);
                out.println("Profiling failed: " + e.getMessage() + " (stack trace on stderr); the figures above are unaffected.");
            }
        }
        out.println();
        out.println("ratio " + RATIO_DCGAN28 + " " + ratioText(ratio28));
        out.println("ratio " + RATIO_DCGAN64 + " " + ratioText(ratio64));
        out.println("ratio " + RATIO_KAFKA + " " + ratioText(ratioKafka));
        out.println("ratio " + RATIO_PHASE_DCGAN28 + " " + ratioText(ratioPhase28));
        out.println("ratio " + RATIO_PHASE_DCGAN64 + " " + ratioText(ratioPhase64));
        out.println("ratio " + RATIO_AUGMENT_DCGAN28 + " " + ratioText(ratioAugment28));
        out.println("ratio " + RATIO_AUGMENT_DCGAN64 + " " + ratioText(ratioAugment64));
        out.flush();
        List<String> missing = rows.stream().filter(r -> r.result().isEmpty()).map(r -> r.model() + ", " + r.side() + ": " + r.notes())
                .distinct().toList();
        if (!missing.isEmpty()) {
            log.println("gan bench trainer: exit status 1, because not every row was measured:");
            missing.forEach(m -> log.println("  " + m));
        }
        return Double.isNaN(ratio28) || Double.isNaN(ratio64) || Double.isNaN(ratioKafka) || Double.isNaN(ratioPhase28)
                || Double.isNaN(ratioPhase64) ? 1 : 0;
    }

    /** The trainer's step fed from {@link #MEMORY_BATCHES} batches in memory, under {@link StepTimer}'s policy. */
    Throughput memory(GanConfig gan, BenchImages images) {
        List<float[]> batches = images.batches(MEMORY_BATCHES, config.batch());
        try (GanTrainingCore core = new GanTrainingCore(gan)) {
            return StepTimer.time(i -> core.trainStep(batches.get(i % batches.size()), null, config.batch()), config.batch(),
                    config.warmupSteps(), config.measure());
        }
    }

    private Row kafka(FeedBroker broker, GanConfig gan, BenchImages images, Throughput memory, String model) throws InterruptedException {
        // Twice the fresh images the in-memory rate would consume (half of each batch is replayed), plus slack,
        // so the stream never runs dry during the measurement.
        double seconds = config.measure().toSeconds() + config.warmupSteps() * memory.medianStepMs() / 1000 + 5;
        int count = (int) Math.min(200_000, Math.max(2_048, Math.ceil(memory.imagesPerSecond() * seconds)));
        String topic = config.topicPrefix() + "." + System.currentTimeMillis();
        KafkaFedRun.Result r;
        try {
            r = KafkaFedRun.run(broker.kafka(), topic, gan, images, count, config.batch(), config.warmupSteps(), config.measure(), log);
        } catch (RuntimeException e) {
            log.println("The Kafka-fed run failed: " + e.getMessage());
            return new Row(model, "trainer, Kafka-fed", Optional.empty(), "failed: " + e.getMessage());
        }
        String notes = String.format(Locale.ROOT, "data wait %.1f%% of wall time, %.0f%% of images fresh from Kafka, %d PNGs",
                100 * r.dataWaitShare(), 100 * r.freshShare(), r.produced());
        return new Row(model, "trainer, Kafka-fed", Optional.of(r.throughput()), notes);
    }

    /** The reference as the script's {@code extraArgs} run it: none for the idiomatic network, {@link #PHASE} for ours. */
    private Row pytorch(Optional<PyTorchReference> reference, String missing, String arch, GanConfig gan, String model,
            List<String> extraArgs) {
        String how = extraArgs.equals(PHASE) ? " eager, trainer's resize-convolution" : " eager";
        if (reference.isEmpty()) {
            return new Row(model, "PyTorch" + how, Optional.empty(), missing);
        }
        PyTorchReference ref = reference.get();
        try {
            JsonNode r = ref.run(arch, config.batch(), config.threads(), gan, config.warmupSteps(), config.measure(), extraArgs, log);
            Throughput t = new Throughput(r.path("steps").asInt(), config.batch(), r.path("seconds").asDouble(),
                    r.path("cpu_seconds").asDouble(Double.NaN), r.path("step_ms_median").asDouble());
            String notes = String.format(Locale.ROOT, "torch %s, %d threads; D half %.0f ms, G half %.0f ms",
                    r.path("torch").asText(), r.path("threads").asInt(), r.path("d_ms_median").asDouble(), r.path("g_ms_median").asDouble());
            return new Row(model, "PyTorch " + ref.torchVersion() + how, Optional.of(t), notes);
        } catch (RuntimeException e) {
            log.println("The PyTorch reference for " + arch + " " + String.join(" ", extraArgs) + " failed: " + e.getMessage());
            return new Row(model, "PyTorch" + how, Optional.empty(), "failed: " + e.getMessage());
        }
    }

    private void printMachine(MachineInfo m, Optional<PyTorchReference> reference, Optional<FeedBroker> broker, Instant started,
            String loadBefore, String loadAfter) {
        out.println("## Trainer bench, " + started);
        out.println();
        out.println("- machine: " + m.cores() + " cores, " + m.cpuModel() + ", " + m.memory() + " memory, " + m.os());
        out.println("- JDK: " + m.jdk());
        out.println("- trainer: DJL " + m.djl() + " on libtorch " + m.libtorch() + " (CPU)");
        out.println("- reference: " + reference.map(r -> "PyTorch " + r.torchVersion() + " eager, " + r.python()).orElse("none"));
        out.println("- Kafka broker: " + broker.map(FeedBroker::description).orElse("none"));
        out.println(String.format(Locale.ROOT, "- settings: batch %d, %d threads on both sides, %d warm-up steps then %d s of whole "
                        + "steps per row and round, %d round(s)%s; OMP_WAIT_POLICY=%s", config.batch(), config.threads(),
                config.warmupSteps(), config.measure().toSeconds(), config.rounds(), config.rounds() > 1 ? " in A B B A order" : "",
                Optional.ofNullable(System.getenv(PyTorchReference.OMP_WAIT_POLICY)).orElse("(unset)")));
        out.println("- load average (1, 5, 15 min): " + loadBefore + " before, " + loadAfter + " after");
        out.println();
    }

    private void printTable(List<Row> rows, Optional<FeedBroker> broker) {
        if (rows.stream().anyMatch(r -> r.side().contains("Kafka") && r.result().isPresent())) {
            out.printf(Locale.ROOT, "Kafka-fed: each round produces canonical PNGs to a new %d-partition topic on %s, then "
                            + "trains from it through TrainingFeed and BatchAssembler with the trainer's defaults (replay ratio %.1f, "
                            + "idle policy %s); the topic is deleted afterwards.%n%n", KafkaFedRun.PARTITIONS,
                    broker.map(FeedBroker::description).orElseThrow(),
                    KafkaFedRun.REPLAY_RATIO, KafkaFedRun.IDLE_POLICY.name().toLowerCase(Locale.ROOT));
        }
        out.println("| model | side | images/s | steps | seconds | median step ms | CPU ms per image | notes |");
        out.println("|---|---|---:|---:|---:|---:|---:|---|");
        for (Row row : rows) {
            if (row.result().isPresent()) {
                Throughput t = row.result().get();
                out.printf(Locale.ROOT, "| %s | %s | %.1f | %d | %.1f | %.0f | %.1f | %s |%n", row.model(), row.side(),
                        t.imagesPerSecond(), t.steps(), t.seconds(), t.medianStepMs(), t.cpuMsPerImage(), row.notes());
            } else {
                out.printf(Locale.ROOT, "| %s | %s | - | - | - | - | - | %s |%n", row.model(), row.side(), row.notes());
            }
        }
    }

    private static double ratio(Optional<Throughput> numerator, Optional<Throughput> denominator) {
        if (numerator.isEmpty() || denominator.isEmpty()) {
            return Double.NaN;
        }
        return numerator.get().imagesPerSecond() / denominator.get().imagesPerSecond();
    }

    /** Images per CPU second of the numerator over those of the denominator. */
    private static double cpuRatio(Optional<Throughput> numerator, Optional<Throughput> denominator) {
        if (numerator.isEmpty() || denominator.isEmpty()) {
            return Double.NaN;
        }
        return denominator.get().cpuMsPerImage() / numerator.get().cpuMsPerImage();
    }

    private static String times(double ratio) {
        return Double.isNaN(ratio) ? "not measured" : String.format(Locale.ROOT, "%.2fx", ratio);
    }

    private static String ratioText(double ratio) {
        return Double.isNaN(ratio) ? "NaN" : String.format(Locale.ROOT, "%.3f", ratio);
    }
}
