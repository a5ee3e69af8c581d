package dev.ganpipe.bench.generator;

import dev.ganpipe.bench.scratch.ScratchFolder;
import dev.ganpipe.common.config.CommandLine;
import dev.ganpipe.common.config.ConfigSpec;
import dev.ganpipe.common.config.ConfigValues;
import dev.ganpipe.common.http.AccessLog;
import dev.ganpipe.common.http.HttpLimits;
import dev.ganpipe.common.http.HttpServerKind;
import dev.ganpipe.common.http.HttpService;
import dev.ganpipe.common.http.Routes;
import dev.ganpipe.common.image.Hashes;
import dev.ganpipe.common.metrics.MeterRegistries;
import dev.ganpipe.common.metrics.MetricNames;
import dev.ganpipe.common.model.ModelManifest;
import dev.ganpipe.common.model.Noise;
import dev.ganpipe.generator.batch.MicroBatcher;
import dev.ganpipe.generator.http.ApiSettings;
import dev.ganpipe.generator.http.GeneratorApi;
import dev.ganpipe.generator.http.JdkHttpServerTuning;
import dev.ganpipe.generator.images.Generation;
import dev.ganpipe.generator.model.ModelCatalog;
import dev.ganpipe.generator.model.ModelRegistry;
import dev.ganpipe.generator.model.OfferOutcome;
import dev.ganpipe.generator.onnx.OnnxGenerator;
import dev.ganpipe.generator.onnx.OrtSessionFactory;
import dev.ganpipe.generator.onnx.OrtSettings;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code gan bench generator}: how close the service comes to ONNX Runtime itself, on one model in one run. It
 * measures images/s of (1) a raw in-process ONNX Runtime loop at batch 64, (2) the HTTP service answering
 * {@code count=64} requests one after another (as a PNG grid, the default format, and as .npy), and (3) the HTTP
 * service answering {@code count=1} PNG requests from 32 concurrent clients, merged by the micro-batcher; with p50
 * and p99 latency, the machine it ran on, and the ratios to the raw loop in the last lines, each the median over the
 * rounds of one round's ratio.
 *
 * <p>The service runs in this process with the production routes, registry and batcher, on a real HTTP server on a
 * free port; clients are {@code wrk} when it is installed (it takes less of the CPU the server needs) or Java's
 * HTTP client. The model is {@code --model}, else the newest in {@code --models-dir}, else one the bench makes
 * ({@link FreshGenerator}) in a temporary folder, so that it runs on a fresh clone; the output says which.
 */
public final class GeneratorBench {

    /** Exit status for bad options or a missing model. */
    public static final int EXIT_USAGE = 2;
    /** Exit status when a measurement failed. */
    public static final int EXIT_FAILED = 1;
    /** Where {@code ./gan demo} writes its models, for the messages. */
    static final String DEMO_MODELS_DIR = ".gan/demo/models";

    private GeneratorBench() {
    }

    /** The options, for {@code --help}. */
    public static ConfigSpec spec() {
        return new ConfigSpec("gan bench generator", "Measures images/s of a raw ONNX Runtime loop, the HTTP service at count=64 and at "
                + "count=1 under concurrent clients, on one model, and prints the ratios.")
                .optional("model", "The ONNX generator file to measure. Without it or --models-dir, the bench measures the trainer's "
                        + "default generator, freshly initialised and exported to a temporary folder.")
                .optional("models-dir", "Measure the newest .onnx in this folder when --model is not given (e.g. " + DEMO_MODELS_DIR
                        + ", where ./gan demo writes its models).")
                .add("seconds", "10", "Length of each measurement, seconds.")
                .add("rounds", "4", "Rounds of all measurements taken in turn (every other round in reverse order), so that load from other "
                        + "processes hurts every row alike.")
                .add("warmup", "2", "Warm-up before each measurement, seconds (not counted).")
                .add("batch", "64", "Images per raw forward pass and per HTTP request in the count=N measurements.")
                .add("clients", "32", "Concurrent clients in the count=1 measurement.")
                .add("load", "auto", "Load generator for the HTTP measurements: auto (wrk if installed, else java), wrk or java.")
                .add("ort-provider", "cpu", "ONNX Runtime execution provider: cpu, cuda or auto.")
                .add("ort-threads", "0", "ONNX Runtime intra-op threads; 0 lets ONNX Runtime choose.")
                .add("ort-spin-wait", "off", "The service's --ort-spin-wait: off, pass or always (the raw loop always runs with ONNX "
                        + "Runtime's default, always).")
                .add("max-batch", "256", "The service's --max-batch.")
                .add("max-wait", "2ms", "The service's --max-wait.");
    }

    /**
     * Runs the benchmark and prints the table to {@code out}.
     *
     * @return 0, {@link #EXIT_USAGE} (bad option, no model) or {@link #EXIT_FAILED}
     */
    public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        CommandLine.Parsed<Options> parsed = CommandLine.of(spec(), "gan bench generator", EXIT_USAGE).withIllegalArgumentsAsUsageErrors()
                .parse(args, env, out, err, Options::from);
        if (parsed.done()) {
            return parsed.exitCode();
        }
        Options options = parsed.value();
        try {
            if (options.model().isPresent()) {
                Path model = options.model().get();
                if (!Files.isRegularFile(model)) {
                    err.println("gan bench generator: --model " + model + " is not a file; pass the path of an ONNX generator, or leave "
                            + "--model out to measure the trainer's default generator.");
                    return EXIT_USAGE;
                }
                return measure(model, "given with --model", options, out);
            }
            if (options.modelsDir().isPresent()) {
                Path dir = options.modelsDir().get();
                Optional<Path> newest = newestModel(dir);
                if (newest.isEmpty()) {
                    err.println("gan bench generator: no model to measure: --models-dir " + dir.toAbsolutePath() + " holds no .onnx file. "
                            + "Pass one with --model PATH, run './gan demo' until it publishes a generator (it writes them to "
                            + DEMO_MODELS_DIR + "), or leave --models-dir out to measure the trainer's default generator.");
                    return EXIT_USAGE;
                }
                return measure(newest.get(), "the newest .onnx in " + dir, options, out);
            }
            try (ScratchFolder scratch = ScratchFolder.create("gan-bench-generator")) {
                FreshGenerator.Made made = FreshGenerator.export(scratch.path());
                return measure(made.file(), made.description(), options, out);
            }
        } catch (IOException | RuntimeException e) {
            err.println("gan bench generator: the benchmark failed: " + e);
            e.printStackTrace(err);
            return EXIT_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("gan bench generator: interrupted.");
            return EXIT_FAILED;
        }
    }

    /** Measures {@code modelFile}; {@code origin} says where it came from, for the output. */
    private static int measure(Path modelFile, String origin, Options options, PrintStream out) throws IOException, InterruptedException {
        JdkHttpServerTuning.apply();
        byte[] onnx = Files.readAllBytes(modelFile);
        OrtSessionFactory ort = new OrtSessionFactory(options.ort());
        OnnxGenerator.Signature signature = OnnxGenerator.inspect(ort, onnx);
        LoadGenerator load = LoadGenerator.choose(options.load());
        Duration seconds = options.seconds();
        int batch = options.batch();

        out.printf(Locale.ROOT, "gan bench generator: %s (%s, noise %d), ONNX Runtime %s on %s, %d round(s) of %d s per measurement "
                + "after %d s warm-up%n", modelFile.getFileName(), signature.shape(), signature.noiseDim(), ort.environment().getVersion(),
                ort.provider(), options.rounds(), seconds.toSeconds(), options.warmup().toSeconds());
        out.println("model: " + modelFile + " (" + origin + ")");
        out.println("machine: " + machine());
        out.flush();

        PrometheusMeterRegistry meters = MeterRegistries.prometheus("generator-bench");
        List<List<GeneratorMeasurement>> rounds = new ArrayList<>();
        List<Double> lengths = new ArrayList<>();
        double batchImages = 0;
        double batchPasses = 0;
        ServerTime gridTime = ServerTime.ZERO;
        ServerTime concurrentTime = ServerTime.ZERO;
        // The raw loop runs ONNX Runtime as it comes (spin-waiting on), the service with its own settings.
        OrtSessionFactory rawOrt = new OrtSessionFactory(options.ort().withSpinWait(OrtSettings.SpinWait.ALWAYS));
        try (OnnxGenerator generator = OnnxGenerator.load(rawOrt, onnx, signature.shape(), signature.noiseDim());
             ModelCatalog registry = new ModelCatalog(ModelRegistry.onnxLoader(ort), 1, meters, Clock.systemUTC());
             MicroBatcher batcher = new MicroBatcher(options.maxBatch(), options.maxWait(), meters)) {
            ModelManifest manifest = new ModelManifest("bench", 1, Hashes.sha256(onnx), 0, Instant.now(), signature.shape().toString(),
                    signature.noiseDim(), Map.of());
            if (registry.offer(manifest, onnx, modelFile.toString()) != OfferOutcome.APPLIED) {
                throw new IllegalStateException("The service refused the model " + modelFile + "; its log line above says why.");
            }
            Generation generation = new Generation(registry, batcher, meters);
            Routes routes = GeneratorApi.routes(generation, ApiSettings.open(Math.max(1024, batch)), meters, registry::ready);
            // The service's own HTTP server and its peer serve the same routes side by side, so that one run compares them.
            HttpServerKind standard = HttpServerKind.standard();
            HttpServerKind peer = peerOf(standard);
            HttpService.Options served = new HttpService.Options("generator-bench", "127.0.0.1", 0, routes, meters, "gan.generator",
                    HttpLimits.defaults(), standard, AccessLog.off(), Optional.empty());
            HttpService http = HttpService.start(served);
            HttpService peerHttp = HttpService.start(served.on(peer));
            try {
                String base = "http://127.0.0.1:" + http.port() + "/v1/generate?seed=7&count=";
                URI gridUri = URI.create(base + batch + "&format=grid");
                URI npyUri = URI.create(base + batch + "&format=npy");
                URI singleUri = URI.create(base + "1&format=png");
                String peerBase = "http://127.0.0.1:" + peerHttp.port() + "/v1/generate?seed=7&count=";
                URI peerGridUri = URI.create(peerBase + batch + "&format=grid");
                URI peerSingleUri = URI.create(peerBase + "1&format=png");
                String on = " on " + standard.name().toLowerCase(Locale.ROOT);
                String onPeer = " on " + peer.name().toLowerCase(Locale.ROOT);
                LoadGenerator sequential = new LoadGenerator.Java();
                DistributionSummary batches = meters.get(MetricNames.GENERATOR_BATCH_SIZE).summary();
                for (int round = 1; round <= options.rounds(); round++) {
                    GeneratorMeasurement[] row = new GeneratorMeasurement[6];
                    // Every other round runs the rows in reverse, so a load that rises or falls during the run
                    // (other processes starting or ending) favours no row.
                    for (int step = 0; step < row.length; step++) {
                        int which = round % 2 == 1 ? step : row.length - 1 - step;
                        switch (which) {
                            case 0 -> row[0] = rawLoop(generator, batch, options.warmup(), seconds);
                            case 1 -> {
                                Timed timed = sequentialRun(load, "HTTP count=" + batch + " format=grid, 1 client" + on, gridUri, options, batch,
                                        meters);
                                row[1] = timed.row();
                                gridTime = gridTime.plus(timed.server());
                            }
                            case 2 -> row[2] = sequentialRun(sequential, "HTTP count=" + batch + " format=npy, 1 client" + on, npyUri, options, batch,
                                    meters).row();
                            case 4 -> row[4] = sequentialRun(load, "HTTP count=" + batch + " format=grid, 1 client" + onPeer, peerGridUri, options,
                                    batch, meters).row();
                            default -> {
                                boolean onStandard = which == 3;
                                URI uri = onStandard ? singleUri : peerSingleUri;
                                load.run("warm-up", uri, options.clients(), options.warmup(), 1);
                                double passesBefore = batches.count();
                                double imagesBefore = batches.totalAmount();
                                ServerTime before = ServerTime.read(meters);
                                row[which] = load.run("HTTP count=1 format=png, " + options.clients() + " clients" + (onStandard ? on : onPeer),
                                        uri, options.clients(), seconds, 1);
                                if (onStandard) {
                                    batchPasses += batches.count() - passesBefore;
                                    batchImages += batches.totalAmount() - imagesBefore;
                                    concurrentTime = concurrentTime.plus(ServerTime.read(meters).minus(before));
                                }
                            }
                        }
                    }
                    rounds.add(List.of(row));
                    lengths.add(seconds.toNanos() / 1e9);
                    out.printf(Locale.ROOT, "round %d: raw %.1f, grid %.1f, npy %.1f, concurrent %.1f; %s grid %.1f, concurrent %.1f images/s%n",
                            round, row[0].imagesPerSecond(), row[1].imagesPerSecond(), row[2].imagesPerSecond(), row[3].imagesPerSecond(),
                            peer.name().toLowerCase(Locale.ROOT), row[4].imagesPerSecond(), row[5].imagesPerSecond());
                    out.flush();
                }
            } finally {
                peerHttp.close();
                http.close();
            }
        }

        List<GeneratorMeasurement> rows = new ArrayList<>();
        for (int row = 0; row < rounds.getFirst().size(); row++) {
            int r = row;
            rows.add(GeneratorMeasurement.combine(rounds.stream().map(round -> round.get(r)).toList(), lengths));
        }
        GeneratorMeasurement raw = rows.get(0);
        GeneratorMeasurement grid = rows.get(1);
        GeneratorMeasurement npy = rows.get(2);
        GeneratorMeasurement concurrent = rows.get(3);
        GeneratorMeasurement peerGrid = rows.get(4);
        GeneratorMeasurement peerConcurrent = rows.get(5);
        out.println();
        out.printf(Locale.ROOT, "%-52s %10s %11s %9s %9s %7s%n", "measurement", "images/s", "requests/s", "p50 ms", "p99 ms", "vs raw");
        for (GeneratorMeasurement m : rows) {
            out.println(m.line(raw));
        }
        out.printf(Locale.ROOT, "(count=1 requests were merged into forward passes of %.1f images on average)%n",
                batchPasses == 0 ? 0 : batchImages / batchPasses);
        out.println();
        out.println("where a request's time went on " + HttpServerKind.standard().name().toLowerCase(Locale.ROOT)
                + " (mean client latency; the service's own timers split it):");
        out.println(gridTime.line("  count=" + batch + " grid, 1 client", 1000 / grid.requestsPerSecond()));
        out.println(concurrentTime.line("  count=1 png, " + options.clients() + " clients", options.clients() * 1000 / concurrent.requestsPerSecond()));
        out.println();
        // The peer server's lines first: the bench ends with the two headline ratios of the server the services run.
        // Each ratio is the median over the rounds of that round's row over its raw loop, measured a minute apart at
        // most: on a shared machine whose speed drifts by a quarter between minutes, a pooled ratio would mix the
        // drift into it (the table above pools, for the absolute figures).
        String peerName = peerOf(HttpServerKind.standard()).name().toLowerCase(Locale.ROOT);
        Map<String, double[]> ratios = new LinkedHashMap<>();
        ratios.put("http64_" + peerName + "_vs_raw_ort", ratiosByRound(rounds, 4));
        ratios.put("concurrent1_" + peerName + "_vs_raw_ort", ratiosByRound(rounds, 5));
        ratios.put("http64_vs_raw_ort", ratiosByRound(rounds, 1));
        ratios.put("concurrent1_vs_raw_ort", ratiosByRound(rounds, 3));
        out.println("each ratio below is the median of the rounds' ratios:");
        ratios.forEach((name, byRound) -> out.printf(Locale.ROOT, "  %s by round: %s%n", name, Arrays.stream(byRound)
                .mapToObj(r -> String.format(Locale.ROOT, "%.3f", r)).collect(Collectors.joining(", "))));
        ratios.forEach((name, byRound) -> out.printf(Locale.ROOT, "ratio %s %.3f%n", name, GeneratorMeasurement.median(byRound)));
        return grid.failures() + npy.failures() + concurrent.failures() + peerGrid.failures() + peerConcurrent.failures() == 0 ? 0 : EXIT_FAILED;
    }

    /** Row {@code row}'s images/s over the raw loop's (row 0), round by round. */
    private static double[] ratiosByRound(List<List<GeneratorMeasurement>> rounds, int row) {
        return rounds.stream().mapToDouble(r -> r.get(row).imagesPerSecond() / r.get(0).imagesPerSecond()).toArray();
    }

    /** The server the bench measures beside the service's own. */
    private static HttpServerKind peerOf(HttpServerKind standard) {
        return standard == HttpServerKind.JETTY ? HttpServerKind.JDK : HttpServerKind.JETTY;
    }

    /** A measurement and what the service's timers recorded during it. */
    private record Timed(GeneratorMeasurement row, ServerTime server) {
    }

    /** One client asking for {@code batch} images at a time, after a warm-up. */
    private static Timed sequentialRun(LoadGenerator client, String name, URI uri, Options options, int batch, MeterRegistry meters)
            throws InterruptedException, IOException {
        client.run("warm-up", uri, 1, options.warmup(), batch);
        ServerTime before = ServerTime.read(meters);
        GeneratorMeasurement row = client.run(name + " (" + client.name() + ")", uri, 1, options.seconds(), batch);
        return new Timed(row, ServerTime.read(meters).minus(before));
    }

    /** Forward passes of {@code batch} images back to back on the calling thread, as the batcher's dispatcher runs them. */
    private static GeneratorMeasurement rawLoop(OnnxGenerator generator, int batch, Duration warmup, Duration seconds) {
        float[] z = Noise.gaussian(7, batch, generator.noiseDim());
        long[] labels = null;
        if (generator.conditional()) {
            labels = new long[batch];
            for (int i = 0; i < batch; i++) {
                labels[i] = i % generator.classNames().size();
            }
        }
        long warmEnd = System.nanoTime() + warmup.toNanos();
        while (System.nanoTime() < warmEnd) {
            generator.generate(z, labels, batch);
        }
        LoadGenerator.LatencyLog log = new LoadGenerator.LatencyLog();
        long start = System.nanoTime();
        long end = start + seconds.toNanos();
        long now = start;
        while (now < end) {
            generator.generate(z, labels, batch);
            long after = System.nanoTime();
            log.add(after - now);
            now = after;
        }
        return GeneratorMeasurement.of("raw ONNX Runtime loop, batch " + batch + " (in-process)", log.values(), batch, (now - start) / 1e9, 0);
    }

    /** Cores, CPU model, JVM and OS, for the table header. */
    static String machine() {
        String cpu = "unknown CPU";
        try {
            Path cpuinfo = Path.of("/proc/cpuinfo");
            if (Files.isReadable(cpuinfo)) {
                try (Stream<String> lines = Files.lines(cpuinfo)) {
                    cpu = lines.filter(l -> l.startsWith("model name")).findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
                }
            }
        } catch (IOException e) {
            cpu = "CPU model unreadable (" + e.getMessage() + ")";
        }
        return Runtime.getRuntime().availableProcessors() + " cores, " + cpu + ", Java " + Runtime.version().feature() + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch");
    }

    /** The newest {@code .onnx} file in {@code dir}, by modification time. */
    static Optional<Path> newestModel(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".onnx") && Files.isRegularFile(p))
                    .max(Comparator.comparing(GeneratorBench::modified));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir + " to find a model; pass one with --model PATH.", e);
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the modification time of " + file + ".", e);
        }
    }

    /** The parsed options. */
    private record Options(Optional<Path> model, Optional<Path> modelsDir, Duration seconds, int rounds, Duration warmup, int batch, int clients, String load,
            OrtSettings ort, int maxBatch, Duration maxWait) {

        static Options from(ConfigValues v) {
            int seconds = v.integer("seconds");
            int rounds = v.integer("rounds");
            int warmup = v.integer("warmup");
            int batch = v.integer("batch");
            int clients = v.integer("clients");
            if (seconds < 1 || rounds < 1 || warmup < 0 || batch < 1 || batch > 1024 || clients < 1) {
                throw new IllegalArgumentException("--seconds and --rounds must be at least 1, --warmup 0 or more, --batch 1 to 1024 and "
                        + "--clients at least 1.");
            }
            return new Options(v.optional("model").map(Path::of), v.optional("models-dir").map(Path::of), Duration.ofSeconds(seconds), rounds,
                    Duration.ofSeconds(warmup),
                    batch, clients, v.string("load"),
                    new OrtSettings(v.choice("ort-provider", OrtSettings.Provider.class), v.integer("ort-threads"),
                            OrtSettings.parseOptimization("all"), OrtSettings.SpinWait.parse(v.string("ort-spin-wait"))),
                    v.integer("max-batch"), v.duration("max-wait"));
        }
    }
}
