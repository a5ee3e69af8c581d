package dev.ganpipe.launcher;

import dev.ganpipe.common.Service;
import dev.ganpipe.common.ServiceMain;
import dev.ganpipe.common.config.CommandLine;
import dev.ganpipe.common.config.ConfigSpec;
import dev.ganpipe.common.config.ConfigValues;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.io.Folders;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.metrics.MeterRegistries;
import dev.ganpipe.common.model.ModelKeys;
import dev.ganpipe.generator.GeneratorConfig;
import dev.ganpipe.generator.GeneratorService;
import dev.ganpipe.images.normalize.ClassList;
import dev.ganpipe.images.source.DatasetProfile;
import dev.ganpipe.images.source.HeldOutSplit;
import dev.ganpipe.images.source.SampleData;
import dev.ganpipe.ingest.IngestConfig;
import dev.ganpipe.ingest.IngestService;
import dev.ganpipe.ingest.publish.IngestCommand;
import dev.ganpipe.ingest.publish.IngestSummary;
import dev.ganpipe.quality.data.RealDataLoader;
import dev.ganpipe.trainer.TrainerConfig;
import dev.ganpipe.trainer.TrainerService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * {@code gan demo}: the whole pipeline in one process — a real Kafka broker, ingest, trainer and generator service,
 * each on its own port with its own metrics — fed with the bundled sample or {@code --data}. Ctrl-C closes every
 * part in reverse order before the JVM exits.
 */
final class DemoCommand {

    private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);

    private DemoCommand() {
    }

    static ConfigSpec spec() {
        return new ConfigSpec("gan demo", "Runs the whole pipeline in this process on an embedded Kafka broker: ingest -> trainer -> generator service.")
                .add("data", SampleData.FASHION_MNIST, "Images to train on: an IDX images file, a folder holding one (e.g. ../shared/datasets/fashion-mnist), "
                        + "a folder of images or a tar archive; default: the bundled 500-image Fashion-MNIST sample.")
                .optional("limit", "Ingest at most this many images.")
                .add("image-shape", "auto", "Shape every image is normalised to and the networks train on, WIDTHxHEIGHTxCHANNELS (28, 32 or "
                        + "64 square, 1 gray or 3 RGB); 'auto' decides from the data: IDX files declare theirs, else the most common "
                        + "image size scaled down to the nearest of those sides, gray only if every image is.")
                .add("classes", "auto", "Class names in label order, comma-separated; 'auto' takes them from the data: class "
                        + "sub-folders, a labels.csv, or IDX label numbers. Labelled data trains a conditional GAN.")
                .add("conditional", "auto", "Train a conditional GAN: 'auto' when the data is labelled, 'false' an unconditional one on "
                        + "labelled data too (docs/quality.md measures both), 'true' insists on labels.")
                .optional("quality-data", "Labelled real images the trainer scores its generator against (classifier FID, precision, "
                        + "recall, coverage) and gates publishing on; 'off' turns it off. Default: the bundled sample for the sample; a folder's "
                        + "own test set (IDX t10k files, a test sub-folder); else, for labelled data, a seeded 10% of it (at most 1,000 "
                        + "images) that is held out of training; off for unlabelled data.")
                .add("work-dir", ".gan/demo", "Where the broker's data, models and sample grids go.")
                .flag("keep", "Keep the work directory of an earlier run (broker data, models) instead of starting fresh.")
                .add("kafka-port", "9092", "Port of the embedded broker (a cluster's brokers take this one and the next ones).")
                .add("brokers", "1", "Kafka brokers: 1 in this process, or e.g. 3 as separate processes with replicated topics.")
                .add("export-every", "60s", "Publish a generator at least this often ...")
                .add("export-every-steps", "500", "... and every this many steps.")
                .add("sample-every-steps", "100", "Write a fixed-noise sample grid every this many steps.")
                .add("threads", "0", "PyTorch threads for training (0: all cores).")
                .flag("with-prometheus", "Also run Prometheus (the 'prometheus' binary, e.g. Debian's package) with the project's config and alerts.")
                .add("prometheus-port", "9090", "Port of that Prometheus.")
                .add("monitoring-dir", "monitoring", "The project's monitoring folder (prometheus/prometheus.yml and alerts.yml).");
    }

    static int run(List<String> args) {
        CommandLine.Parsed<ConfigValues> parsed = CommandLine.of(spec(), "gan", ServiceMain.USAGE_ERROR)
                .parse(args, System.getenv(), System.out, System.err, values -> values);
        if (parsed.done()) {
            return parsed.exitCode();
        }
        ConfigValues v = parsed.value();
        List<Service> started = new CopyOnWriteArrayList<>();
        CountDownLatch stopped = ServiceMain.closeOnShutdown(started);
        try {
            start(v, started);
        } catch (RuntimeException e) {
            LOG.error("The demo could not start: {}", e.getMessage(), e);
            System.err.println("gan demo: " + e.getMessage());
            ServiceMain.closeAll(List.copyOf(started));
            started.clear();
            return 1;
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static void start(ConfigValues v, List<Service> started) {
        Path work = v.path("work-dir").toAbsolutePath();
        if (!v.bool("keep")) {
            deleteRecursively(work);
        }
        BrokerCommand.Brokers kafka = BrokerCommand.Brokers.start(work.resolve("kafka"), v.integer("kafka-port"), v.integer("brokers"));
        started.add(kafka.service());
        BrokerCommand.createTopics(kafka, TopicCatalog.defaults(), 3);
        String bootstrap = kafka.bootstrapServers();
        Map<String, String> env = Map.of(); // the demo's parts take their settings from here, not from GAN_* variables
        DatasetProfile profile = profile(v);
        List<String> profileArgs = profileArgs(profile);

        List<String> ingestArgs = new ArrayList<>(List.of("--bootstrap-servers", bootstrap,
                "--state-dir", work.resolve("streams").toString()));
        ingestArgs.addAll(profileArgs);
        IngestConfig ingestConfig = IngestConfig.parse(ingestArgs, env);
        IngestService ingest = IngestService.start(ingestConfig, MeterRegistries.prometheus("ingest"));
        started.add(ingest);

        // The trainer signs every model and the generator serves only what that key signed (docs/security.md): a
        // replayed model with a made-up version on the models topic is refused. The pair is made on first start.
        Path signingKey = ModelKeys.ensurePair(work.resolve("keys"));
        List<String> trainerArgs = new ArrayList<>(List.of(
                "--bootstrap-servers", bootstrap,
                "--model-signing-key", signingKey.toString(),
                "--models-dir", work.resolve("models").toString(),
                "--samples-dir", work.resolve("samples").toString(),
                "--checkpoint-dir", work.resolve("checkpoints").toString(),
                "--export-every", v.string("export-every"),
                "--export-every-steps", v.string("export-every-steps"),
                "--sample-every-steps", v.string("sample-every-steps"),
                "--threads", v.string("threads"),
                "--conditional", v.string("conditional"),
                "--dataset", datasetName(v.string("data")))); // the model is named after the data: <data>-dcgan<size>
        Quality quality = quality(v, profile, work);
        trainerArgs.addAll(quality.trainerArgs(work));
        String qualityData = quality.data();
        TrainerConfig trainerConfig = TrainerConfig.from(ConfigValues.parse(TrainerConfig.spec(), trainerArgs, env));
        TrainerService trainer = TrainerService.start(trainerConfig, MeterRegistries.prometheus("trainer"));
        started.add(trainer);

        // The generator serves every model name on the topic (a --keep run may hold other datasets') and answers
        // requests that name none from the one this trainer will publish.
        String modelName = trainerConfig.modelNameFor(profile.shape());
        GeneratorConfig generatorConfig = GeneratorConfig.from(ConfigValues.parse(GeneratorConfig.spec(),
                List.of("--bootstrap-servers", bootstrap, "--model-verify-key", signingKey.resolveSibling(ModelKeys.PUBLIC_FILE).toString(),
                        "--model-name", modelName),
                env));
        GeneratorService generator = GeneratorService.start(generatorConfig, MeterRegistries.prometheus("generator"));
        started.add(generator);

        String prometheusLine = "";
        if (v.bool("with-prometheus")) {
            Path binary = PrometheusProcess.findBinary().orElseThrow(() -> new IllegalStateException(
                    "--with-prometheus needs the 'prometheus' binary on the PATH; install it (e.g. 'apt-get install prometheus') or drop the option."));
            PrometheusProcess prometheus = PrometheusProcess.start(binary, Path.of(v.string("monitoring-dir")), Map.of(
                    "ingest", "localhost:" + ingest.port(), "trainer", "localhost:" + trainer.port(),
                    "generator-service", "localhost:" + generator.port()), java.time.Duration.ofSeconds(5),
                    work.resolve("prometheus"), v.integer("prometheus-port"));
            started.add(prometheus);
            prometheusLine = String.format("   prometheus          http://localhost:%d/  (alerts: http://localhost:%d/alerts)%n",
                    prometheus.port(), prometheus.port());
        }

        List<String> publishArgs = new ArrayList<>(List.of("--bootstrap-servers", bootstrap));
        publishArgs.addAll(profileArgs);
        v.optional("limit").ifPresent(limit -> publishArgs.addAll(List.of("--limit", limit)));
        IngestConfig publishConfig = IngestConfig.parse(publishArgs, env);
        String data = v.string("data");
        Thread.ofVirtual().name("demo-publish").start(() -> publish(publishConfig, data, quality.split()));
        Thread.ofVirtual().name("demo-ready").start(() -> announceFirstModel(generator));

        System.out.printf("""

                ================================================================================
                 gan demo is running (Ctrl-C stops every part)
                   Kafka broker        %s  (data in %s)
                   ingest              http://localhost:%d/metrics        publishing %s
                                       %s
                                       %s
                   trainer             http://localhost:%d/v1/status       sample grids in %s
                                       http://localhost:%d/v1/samples/latest.png
                                       %s
                   generator service   http://localhost:%d/readyz         models in %s
                %s The first generator is published about %s after training starts; then open
                   http://localhost:%d/v1/generate?count=16&seed=1
                ================================================================================

                """, bootstrap, work.resolve("kafka"), ingest.port(), data, profile.summary(), quality.describe(), trainer.port(), work.resolve("samples"),
                trainer.port(), qualityData.equals("off") ? "quality off (--quality-data)"
                        : "http://localhost:" + trainer.port() + "/v1/quality/chart.png  (quality, from the first export)",
                generator.port(), work.resolve("models"), prometheusLine, v.string("export-every"), generator.port());
    }

    /**
     * Decides the data's shape and classes once, before any service starts, so ingest, the trainer and the generator
     * agree without three matching configurations (docs/DESIGN.md, "Dataset profile"); logs how each was decided.
     */
    static DatasetProfile profile(ConfigValues v) {
        String data = v.string("data");
        String shapeFlag = v.string("image-shape").strip();
        String classesFlag = v.string("classes").strip();
        Optional<ImageShape> shape;
        Optional<ClassList> classes;
        try {
            shape = shapeFlag.equalsIgnoreCase("auto") ? Optional.empty() : Optional.of(ImageShape.parse(shapeFlag));
            classes = classesFlag.equalsIgnoreCase("auto") ? Optional.empty() : Optional.of(ClassList.parse(classesFlag));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--image-shape or --classes is invalid: " + e.getMessage(), e);
        }
        LOG.info("Profiling {}: reading every image's size and label once to decide the shape and the classes ...", data);
        DatasetProfile profile;
        try {
            profile = DatasetProfile.scan(data, shape, classes, line -> LOG.info("{}", line));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + data + " (" + e.getMessage() + "); check the --data path.", e);
        }
        LOG.info("{}: {}. {}", data, profile.summary(), String.join(" ", profile.evidence()));
        return profile;
    }

    /**
     * What the trainer measures its generator against.
     *
     * @param data the labelled images (--quality-data), or "off"
     * @param heldOutFolder the held-out set's folder when the demo made one
     * @param split which images the demo holds out of training (and so of publishing)
     * @param note how the held-out images were found, for the banner
     */
    record Quality(String data, Optional<Path> heldOutFolder, Optional<HeldOutSplit> split, String note) {

        List<String> trainerArgs(Path work) {
            if (data.equals("off")) {
                return List.of();
            }
            List<String> args = new ArrayList<>(List.of("--quality-data", data, "--quality-dir", work.resolve("quality").toString()));
            heldOutFolder.ifPresent(folder -> args.addAll(List.of("--quality-held-out", folder.toString())));
            return args;
        }

        String describe() {
            return "quality: " + note;
        }
    }

    /** Share of a labelled dataset the demo holds out for quality, and the most images it holds out. */
    static final double HELD_OUT_SHARE = 0.10;
    static final int HELD_OUT_MAX = 1000;

    /**
     * Quality on the user's own data: the bundled sample measures against itself as before; a folder that carries its own
     * test set (IDX t10k files, a test sub-folder) against that; other labelled data against a seeded 10% (at most
     * 1,000 images) that the demo writes to {@code quality-held-out/} and never publishes, so the GAN never trains on it.
     * Unlabelled data cannot train the evaluator's classifier: quality is off, and the banner says why.
     */
    static Quality quality(ConfigValues v, DatasetProfile profile, Path work) {
        String data = v.string("data");
        Optional<String> given = v.optional("quality-data");
        if (given.isPresent()) {
            return new Quality(given.get(), Optional.empty(), Optional.empty(),
                    given.get().equals("off") ? "off (--quality-data off)" : "measured against " + given.get() + " (--quality-data)");
        }
        if (data.equals(SampleData.FASHION_MNIST)) {
            return new Quality(data, Optional.empty(), Optional.empty(), "measured against the bundled sample's held-out images");
        }
        if (!profile.conditional()) {
            return new Quality("off", Optional.empty(), Optional.empty(), "off: the data is unlabelled, so no classifier can be trained to "
                    + "measure it (give labelled data or --quality-data)");
        }
        try {
            if (RealDataLoader.carriesHeldOut(data)) {
                return new Quality(data, Optional.empty(), Optional.empty(), "measured against the test set in " + data + ", never trained on");
            }
            HeldOutSplit split = HeldOutSplit.of(profile.labelled(), HELD_OUT_SHARE, HELD_OUT_MAX, 42);
            Path folder = work.resolve("quality-held-out");
            int written = split.write(data, folder);
            if (written < 2) {
                return new Quality("off", Optional.empty(), Optional.empty(), "off: " + profile.labelled() + " labelled images are too few to hold "
                        + "some out for measuring (give more, or --quality-data)");
            }
            LOG.info("Holding out {} of the {} labelled images in {} for quality measurements: written to {}, never published to the trainer.",
                    written, profile.labelled(), data, folder);
            return new Quality(data, Optional.of(folder), Optional.of(split), String.format(java.util.Locale.ROOT,
                    "measured against %,d held-out images (%s), never trained on", written, folder));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot hold out quality images from " + data + " (" + e.getMessage() + "); pass --quality-data off "
                    + "to run without quality measurements.", e);
        }
    }

    /** The ingest options (normaliser and publisher alike) that carry a profile's decisions. */
    static List<String> profileArgs(DatasetProfile profile) {
        List<String> args = new ArrayList<>(List.of("--image-shape", profile.shape().toString()));
        profile.classes().ifPresent(c -> args.addAll(List.of("--classes", c.toString())));
        return args;
    }

    /**
     * The name models trained on {@code data} take: {@code fashion} for the bundled sample, else the file or folder name
     * without its archive extension, in letters, digits and '-' (e.g. {@code emoji} for {@code /data/emoji.tar.gz}).
     */
    static String datasetName(String data) {
        if (data.equals(SampleData.FASHION_MNIST)) {
            return "fashion";
        }
        Path name = Path.of(data).toAbsolutePath().normalize().getFileName();
        String base = (name == null ? "" : name.toString()).toLowerCase(java.util.Locale.ROOT)
                .replaceFirst("\\.(tar\\.gz|tgz|tar|zip|gz)$", "")
                .replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return base.isEmpty() ? "data" : base.substring(0, Math.min(base.length(), 64)).replaceAll("-+$", "");
    }

    private static void publish(IngestConfig config, String data, Optional<HeldOutSplit> heldOut) {
        try {
            IngestSummary summary = IngestCommand.run(config, List.of(data), System.err,
                    source -> heldOut.map(split -> split.training(source)).orElse(source));
            LOG.info("Ingest of {} finished: {}", data, summary.describe());
        } catch (IOException | RuntimeException e) {
            LOG.error("Ingesting {} failed: {}. The services keep running; fix the path and run './gan ingest PATH' against the demo's broker.",
                    data, e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void announceFirstModel(GeneratorService generator) {
        try {
            while (!generator.ready()) {
                Thread.sleep(1000);
            }
            System.out.printf("%n>>> A generator is live: open http://localhost:%d/v1/generate?count=16&seed=1%n%n", generator.port());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteRecursively(Path dir) {
        try {
            Folders.deleteRecursively(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot clear the demo's work directory " + dir + "; delete it by hand or pass --keep true.", e);
        }
    }
}
