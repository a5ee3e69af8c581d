package dev.ganpipe.bench.endurance;

import dev.ganpipe.common.config.CommandLine;
import dev.ganpipe.common.config.ConfigException;
import dev.ganpipe.common.config.ConfigSpec;
import dev.ganpipe.common.config.ConfigValues;
import dev.ganpipe.common.host.Host;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./gan bench endurance}: the real parts under load and over long runs (issue 10, "Load and endurance").
 * Each part prints its figures; the report ends with the machine, the load average and one {@code ratio <name>
 * <value>} line per figure for scripts. Timings are reported, never asserted. Exit status 0 when every part ran
 * with no failed request and no lost image, 1 otherwise, 2 for a usage error.
 */
public final class EnduranceBench {

    static final String GENERATOR = "generator";
    static final String TRAINER = "trainer";
    static final String INGEST = "ingest";
    static final List<String> PARTS = List.of(GENERATOR, TRAINER, INGEST);

    private EnduranceBench() {
    }

    static ConfigSpec spec() {
        return new ConfigSpec("gan bench endurance", "The generator service under concurrent clients with model swaps, the trainer's "
                + "resident memory over a long run, and an ingest of many images while the trainer trains; figures, never asserted.")
                .add("parts", String.join(",", PARTS), "Parts to run, comma-separated: generator, trainer, ingest.")
                .add("seconds", "180", "generator: how long the clients send requests.")
                .add("clients", "32", "generator: concurrent HTTP clients.")
                .add("swap-every", "5s", "generator: how often a new model version is written to the models directory.")
                .add("trainer-steps", "10000", "trainer: training steps (at least 2000; resident memory is compared at step 1,000 and at the end).")
                .add("trainer-heap", "512m", "trainer: the child JVM's fixed heap (-Xms = -Xmx, pre-touched).")
                .add("generator-width", "16", "trainer and ingest: the trained generator's base width (64 is the trainer's default).")
                .add("discriminator-width", "16", "trainer and ingest: the discriminator's base width.")
                .add("batch", "16", "trainer and ingest: images per training step.")
                .add("threads", "0", "trainer and ingest: PyTorch intra-op threads (0: the engine's default, all cores).")
                .add("images", "60000", "ingest: images to ingest.")
                .add("data", "../shared/datasets/fashion-mnist/train-images-idx3-ubyte.gz", "ingest: the images (an IDX file); when it holds "
                        + "fewer than --images, varied copies of the bundled sample make up the rest (all of them when it is absent).")
                .add("drain", "300s", "ingest: how long the trainer may take after the ingest to bring its lag to 0.")
                .add("work-dir", ".gan/endurance", "Where models, the broker's data and checkpoints go (cleared per part).");
    }

    /** {@code gan bench endurance [options]} (a {@link dev.ganpipe.bench.Bench}): report to {@code out}, progress to {@code log}. */
    public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream log) {
        CommandLine.Parsed<Set<String>> parsed = CommandLine.of(spec(), "gan bench endurance", 2).withIllegalArgumentsAsUsageErrors()
                .parse(args, env, out, log, EnduranceBench::checkedParts);
        if (parsed.done()) {
            return parsed.exitCode();
        }
        ConfigValues v = parsed.values();
        Set<String> parts = parsed.value();
        String loadBefore = Host.loadAverage();
        log.println("gan bench endurance: parts " + parts + ", load average " + loadBefore);
        Path work = v.path("work-dir").toAbsolutePath();
        List<String> table = new ArrayList<>();
        List<String> ratios = new ArrayList<>();
        boolean ok = true;
        try {
            if (parts.contains(GENERATOR)) {
                ok &= generator(v, work.resolve(GENERATOR), table, ratios, log);
            }
            if (parts.contains(TRAINER)) {
                trainer(v, table, ratios, log);
            }
            if (parts.contains(INGEST)) {
                ok &= ingest(v, work.resolve(INGEST), table, ratios, log);
            }
        } catch (IOException | RuntimeException e) {
            e.printStackTrace(log);
            log.println("gan bench endurance: a part failed: " + e.getMessage() + " (the stack trace above says where); the figures "
                    + "of the parts that finished follow.");
            ok = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.println("gan bench endurance: interrupted; the figures of the parts that finished follow.");
            ok = false;
        }
        out.println();
        out.println("machine: " + Host.describe());
        out.println("load average (1/5/15 min): " + loadBefore + " at the start, " + Host.loadAverage() + " at the end");
        out.println();
        out.printf(Locale.ROOT, "| %-10s | %-48s | %-40s |%n", "part", "figure", "value");
        out.println("|------------|--------------------------------------------------|------------------------------------------|");
        table.forEach(out::println);
        out.println();
        ratios.forEach(out::println);
        return ok ? 0 : 1;
    }

    /** The parts to run, once the options are checked. */
    private static Set<String> checkedParts(ConfigValues v) {
        if (!v.positional().isEmpty()) {
            throw new ConfigException("'gan bench endurance' takes only options, but got " + v.positional() + "; run it with --help to list them.");
        }
        Set<String> parts = parseParts(v.string("parts"));
        if (parts.contains(TRAINER) && v.longValue("trainer-steps") < 2000) {
            throw new ConfigException("--trainer-steps must be at least 2000 (memory is compared at step 1,000 and at the end), but was "
                    + v.longValue("trainer-steps") + ".");
        }
        if (v.integer("seconds") < 1 || v.integer("clients") < 1 || v.integer("images") < 1 || v.integer("batch") < 1) {
            throw new ConfigException("--seconds, --clients, --images and --batch must be at least 1.");
        }
        return parts;
    }

    static Set<String> parseParts(String text) {
        Set<String> parts = new LinkedHashSet<>();
        for (String p : text.split(",")) {
            String part = p.trim();
            if (!PARTS.contains(part)) {
                throw new IllegalArgumentException("--parts lists '" + part + "', but the parts are " + String.join(", ", PARTS)
                        + "; give some of those, comma-separated.");
            }
            parts.add(part);
        }
        return parts;
    }

    private static boolean generator(ConfigValues v, Path work, List<String> table, List<String> ratios, PrintStream log)
            throws IOException, InterruptedException {
        WorkDir.clear(work);
        GeneratorUnderSwaps.Result r = GeneratorUnderSwaps.run(work, Duration.ofSeconds(v.integer("seconds")), v.integer("clients"),
                v.duration("swap-every"), log);
        String part = GENERATOR;
        row(table, part, "clients x seconds", v.integer("clients") + " x " + String.format(Locale.ROOT, "%.0f", r.seconds()));
        row(table, part, "requests (GET /v1/generate?count=1)", Long.toString(r.requests()));
        row(table, part, "failed requests (non-200 or I/O error)", r.failed() + (r.failed() == 0 ? "" : " " + r.failuresByCause()));
        row(table, part, "model versions written / swaps applied", r.versionsWritten() + " / " + r.swapsApplied()
                + (r.swapsRejected() == 0 ? "" : " (" + r.swapsRejected() + " rejected)"));
        row(table, part, "model versions seen in responses", Integer.toString(r.versionsServed()));
        row(table, part, "latency p50 / p99 / max", String.format(Locale.ROOT, "%.1f / %.1f / %.1f ms", r.latencies().p50Millis(),
                r.latencies().p99Millis(), r.latencies().maxMillis()));
        row(table, part, "throughput", String.format(Locale.ROOT, "%.0f requests/s", r.requestsPerSecond()));
        ratios.add("ratio generator_failed_requests " + r.failed());
        ratios.add("ratio generator_swaps_applied " + r.swapsApplied());
        ratios.add(String.format(Locale.ROOT, "ratio generator_p50_ms %.2f", r.latencies().p50Millis()));
        ratios.add(String.format(Locale.ROOT, "ratio generator_p99_ms %.2f", r.latencies().p99Millis()));
        ratios.add(String.format(Locale.ROOT, "ratio generator_max_ms %.2f", r.latencies().maxMillis()));
        ratios.add(String.format(Locale.ROOT, "ratio generator_requests_per_second %.1f", r.requestsPerSecond()));
        return r.failed() == 0;
    }

    private static void trainer(ConfigValues v, List<String> table, List<String> ratios, PrintStream log) throws IOException, InterruptedException {
        TrainerMemory.Result r = TrainerMemory.run(v.longValue("trainer-steps"), v.integer("generator-width"), v.integer("discriminator-width"),
                v.integer("batch"), v.integer("threads"), v.string("trainer-heap"), log);
        String part = TRAINER;
        row(table, part, "run", String.format(Locale.ROOT, "dcgan28 g%d/d%d, batch %d, %d steps", v.integer("generator-width"),
                v.integer("discriminator-width"), v.integer("batch"), r.last().step()));
        row(table, part, "glibc malloc settings", r.mallocEnv().isEmpty() ? "defaults" : r.mallocEnv());
        row(table, part, "RSS at step 1,000", mib(r.at1k().rssKib()));
        boolean halves = r.middle().step() > r.at1k().step();
        if (halves) {
            row(table, part, "RSS at step " + r.middle().step(), mib(r.middle().rssKib()));
        }
        row(table, part, "RSS at step " + r.last().step(), mib(r.last().rssKib()));
        row(table, part, "RSS ratio last / 1,000", String.format(Locale.ROOT, "%.3f", r.ratio()));
        if (halves) {
            row(table, part, "RSS ratio last / " + r.middle().step() + " (second half)", String.format(Locale.ROOT, "%.3f", r.secondHalfRatio()));
        }
        row(table, part, "RSS every 1,000 steps from 1,000, MiB", r.series());
        row(table, part, "native (RssAnon - JVM committed) at 1,000 / last", mib(r.at1k().nativeKib()) + " / " + mib(r.last().nativeKib()));
        row(table, part, "native growth per 1,000 steps, second half", String.format(Locale.ROOT, "%.2f MiB", r.secondHalfNativeMibPer1k()));
        row(table, part, "heap (fixed, pre-touched)", r.heap());
        row(table, part, "speed after step 1,000", String.format(Locale.ROOT, "%.1f steps/s", r.stepsPerSecond()));
        long k = r.last().step() / 1000;
        ratios.add(String.format(Locale.ROOT, "ratio trainer_rss_%dk_vs_1k %.3f", k, r.ratio()));
        if (halves) {
            ratios.add(String.format(Locale.ROOT, "ratio trainer_rss_%dk_vs_%dk %.3f", k, r.middle().step() / 1000, r.secondHalfRatio()));
        }
        ratios.add(String.format(Locale.ROOT, "ratio trainer_native_growth_mib %.1f", (r.last().nativeKib() - r.at1k().nativeKib()) / 1024.0));
        ratios.add(String.format(Locale.ROOT, "ratio trainer_native_mib_per_1k_steps_second_half %.2f", r.secondHalfNativeMibPer1k()));
    }

    private static boolean ingest(ConfigValues v, Path work, List<String> table, List<String> ratios, PrintStream log)
            throws IOException, InterruptedException {
        WorkDir.clear(work);
        IngestWhileTraining.Result r = IngestWhileTraining.run(work, v.path("data"), v.integer("images"), v.integer("generator-width"),
                v.integer("discriminator-width"), v.integer("batch"), v.integer("threads"), v.duration("drain"), log);
        String part = INGEST;
        row(table, part, "source", String.join(" + ", Arrays.stream(r.source().split(" \\+ ")).map(l -> Path.of(l).getFileName().toString()).toList()));
        row(table, part, "images sent / distinct among them", r.sent() + " / " + r.distinctSource());
        row(table, part, "on images.train: records / distinct keys", r.trainRecords() + " / " + r.trainDistinctKeys());
        row(table, part, "on images.dlq", Long.toString(r.dlqRecords()));
        row(table, part, "lost (sent - train - dlq)", Long.toString(r.lost()));
        row(table, part, "ingest + normalise time", String.format(Locale.ROOT, "%.0f s (%.0f images/s)", r.ingestSeconds(), r.sent() / r.ingestSeconds()));
        row(table, part, "trainer lag (its own figure) max / ingest end / end", r.maxLag() + " / " + r.lagAtIngestEnd() + " / " + r.lagAtEnd());
        row(table, part, "lag drained to 0 after ingest", Double.isNaN(r.drainSeconds()) ? "not within --drain"
                : String.format(Locale.ROOT, "%.0f s", r.drainSeconds()));
        row(table, part, "accepted - trained, max / at ingest end / at end", r.maxBacklog() + " / " + r.backlogAtIngestEnd() + " / "
                + r.backlogAtEnd());
        row(table, part, "gan_trainer_lag_images gauge NaN (samples)", r.lagGaugeNaN() + " of " + r.lagSamples());
        row(table, part, "trainer steps / images trained on", r.trainerSteps() + " / " + r.trainerImagesSeen());
        row(table, part, "trainer settings", r.trainerSettings().replace("--", ""));
        ratios.add("ratio ingest_lost_images " + r.lost());
        ratios.add("ratio ingest_missing_image_ids " + (r.distinctSource() - r.trainDistinctKeys() - r.dlqRecords()));
        ratios.add("ratio ingest_dlq_images " + r.dlqRecords());
        ratios.add("ratio ingest_max_lag_images " + r.maxLag());
        ratios.add("ratio ingest_end_lag_images " + r.lagAtEnd());
        ratios.add("ratio ingest_max_untrained_images " + r.maxBacklog());
        ratios.add(String.format(Locale.ROOT, "ratio ingest_lag_gauge_nan_share %.3f", r.lagGaugeNaN() / (double) Math.max(1, r.lagSamples())));
        return r.lost() == 0;
    }

    private static void row(List<String> table, String part, String figure, String value) {
        table.add(String.format(Locale.ROOT, "| %-10s | %-48s | %-40s |", part, figure, value));
    }

    private static String mib(long kib) {
        return String.format(Locale.ROOT, "%.1f MiB", kib / 1024.0);
    }
}
