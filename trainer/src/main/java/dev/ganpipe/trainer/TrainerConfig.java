package dev.ganpipe.trainer;

import dev.ganpipe.common.config.ConfigException;
import dev.ganpipe.common.config.ConfigSpec;
import dev.ganpipe.common.config.ConfigValues;
import dev.ganpipe.common.http.HttpServerConfig;
import dev.ganpipe.common.config.KafkaOptions;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.images.normalize.ClassList;
import dev.ganpipe.trainer.checkpoint.CheckpointPolicy;
import dev.ganpipe.trainer.checkpoint.CheckpointStore;
import dev.ganpipe.trainer.data.BatchAssembler.IdlePolicy;
import dev.ganpipe.trainer.data.ReplayBuffer;
import dev.ganpipe.trainer.gan.Augmentation;
import dev.ganpipe.trainer.gan.GanConfig;
import dev.ganpipe.trainer.gan.Objective;
import dev.ganpipe.trainer.loop.Schedule;
import dev.ganpipe.trainer.quality.QualityGate;
import dev.ganpipe.trainer.quality.QualitySettings;
import dev.ganpipe.trainer.quality.WeightsPolicy;
import dev.ganpipe.quality.EvaluationOptions;
import dev.ganpipe.quality.QualityMetrics;
import dev.ganpipe.common.model.ModelKeys;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Every knob of the trainer, typed and validated; {@link #spec()} is the one list {@code --help} prints.
 *
 * @param kafka Kafka connection
 * @param topics topic names
 * @param groupId consumer group on images.train
 * @param host HTTP bind address
 * @param port HTTP port (status, samples, metrics)
 * @param imageShape the canonical image shape of {@code --image-shape}; empty for {@code auto}: the newest checkpoint's,
 *     else the first record's on the training topic ({@link #withProfile} sets it once known)
 * @param gan network shape and optimiser settings; its image size, channels and classes are final only after {@link #withProfile}
 * @param batchSize images per step
 * @param replayCapacity images kept for replay; empty for {@code auto} (as many as fit in 256 MiB, {@link #replayImages})
 * @param replayRatio share of each batch replayed while the stream delivers
 * @param idlePolicy what to do when the stream is idle
 * @param schedule export, sample and stop schedule
 * @param modelName model name (models topic key, file prefix); {@code auto} until {@link #withProfile} names it
 *     {@code <dataset>-dcgan<size>}
 * @param dataset the training data's name, the first part of an {@code auto} model name
 * @param modelsDir where exported generators are written
 * @param keepModels how many versions the models directory keeps
 * @param samplesDir where sample grids are written
 * @param checkpoints where and when checkpoints are written, and what start-up does with an unusable one
 * @param conditional whether to train a conditional GAN on the records' {@code gan.label} headers
 * @param classNames the classes of a conditional GAN in label order (label {@code i} is name {@code i}); their number
 *     is the number of labels. As configured: {@code --classes}, empty when not given (the data's {@code gan.classes}
 *     header then names them); after {@link #withProfile}: the names trained, empty for an unconditional GAN
 * @param quality in-training quality measurements and the publish gate
 * @param modelSigningKey the Ed25519 key each published model's manifest is signed with; without it models go out
 *     unsigned, and generators serve them only with {@code --allow-unsigned-models}
 * @param http TLS and the access log of the status port
 * @param widths {@code --generator-width} and {@code --discriminator-width}: given, or {@code auto} (decided with the image
 *     size by {@link #withProfile}, {@link GanConfig#autoWidth})
 */
public record TrainerConfig(
        KafkaSettings kafka,
        TopicCatalog topics,
        String groupId,
        String host,
        int port,
        Optional<ImageShape> imageShape,
        GanConfig gan,
        int batchSize,
        OptionalInt replayCapacity,
        double replayRatio,
        IdlePolicy idlePolicy,
        Schedule schedule,
        String modelName,
        String dataset,
        Path modelsDir,
        int keepModels,
        Path samplesDir,
        CheckpointPolicy checkpoints,
        Conditional conditional,
        Optional<ClassList> classNames,
        QualitySettings quality,
        Optional<PrivateKey> modelSigningKey,
        HttpServerConfig http,
        Widths widths) {

    /**
     * The networks' base widths as given; empty for {@code auto}.
     *
     * @param cores the cores {@code auto} decides by
     */
    public record Widths(OptionalInt generator, OptionalInt discriminator, int cores) {

        /** The generator's width for images of {@code size}. */
        int generatorFor(int size) {
            return generator.orElse(GanConfig.autoWidth(size, cores));
        }

        /** The discriminator's width for images of {@code size}. */
        int discriminatorFor(int size) {
            return discriminator.orElse(GanConfig.autoWidth(size, cores));
        }

        /** Whether either width is left to {@code auto}. */
        boolean anyAuto() {
            return generator.isEmpty() || discriminator.isEmpty();
        }
    }

    /**
     * The canonical image shape the model trains on.
     *
     * @throws IllegalStateException while {@code --image-shape auto} is not decided yet ({@link #withProfile})
     */
    public ImageShape shape() {
        return imageShape.orElseThrow(() -> new IllegalStateException("--image-shape auto is decided by the newest checkpoint or "
                + "the first record on the training topic; ask the configuration TrainerService.start resolved."));
    }

    /** Images the replay buffer keeps: {@code --replay-capacity}, or for {@code auto} as many as fit in 256 MiB. */
    public int replayImages() {
        return replayCapacity.orElseGet(() -> ReplayBuffer.defaultCapacity(shape().values()));
    }

    /** Whether the GAN is conditional on the {@code gan.label} header. */
    public enum Conditional {
        /** Conditional when a checkpoint says so, else when the training topic's first record has a label (waited for). */
        AUTO,
        /** Conditional: records without a valid label are skipped. */
        TRUE,
        /** Unconditional: labels are ignored. */
        FALSE
    }

    /** The value of {@code --image-shape} and {@code --model-name} that the data decides. */
    static final String DECIDED_BY_DATA = "auto";

    /** The trainer's settings. */
    public static ConfigSpec spec() {
        return new ConfigSpec("gan trainer", "Consumes images.train and keeps training a DCGAN; exports the generator to ONNX and publishes it.")
                .addAll(KafkaOptions.spec())
                .addAll(HttpServerConfig.options())
                .add("group-id", "gan-trainer", "Consumer group on the training topic.")
                .add("host", "0.0.0.0", "HTTP bind address.")
                .add("port", "8082", "HTTP port for /v1/status, /v1/samples/latest.png, /healthz and /metrics.")
                .add("image-shape", "auto", "Canonical image shape WIDTHxHEIGHTxCHANNELS; 28x28 trains dcgan28, 32x32 dcgan32, 64x64 dcgan64. 'auto': "
                        + "as the newest checkpoint, else as the first record on the training topic (its gan.image.shape), waited for; "
                        + "records of another shape are then skipped and counted.")
                .add("noise-dim", "100", "Length of the generator's noise input z.")
                .add("generator-width", "auto", "Base feature maps of the generator; 'auto': 64, or 32 for 64x64 images on fewer than "
                        + GanConfig.CLASSIC_WIDTH_MIN_CORES + " cores (a classic 64x64 step takes seconds on 2; a checkpoint keeps its own).")
                .add("discriminator-width", "auto", "Base feature maps of the discriminator; 'auto' as --generator-width.")
                .add("learning-rate", "0.0002", "Adam learning rate of both networks.")
                .add("beta1", "0.5", "Adam beta1.")
                .add("seed", "42", "Seed of initial weights and training noise.")
                .add("threads", "0", "PyTorch intra-op threads; 0 keeps the engine default (all cores).")
                .add("ema-decay", Double.toString(GanConfig.DEFAULT_EMA_DECAY), "Decay of the moving average of the "
                        + "generator's weights that sample grids and exported models use; 0 turns it off.")
                .add("publish-weights", "auto", "Which generator samples and exports use: 'auto' measures the weight average and "
                        + "the live generator at each quality measurement and publishes the better (the average until the first, "
                        + "and always without --quality-data); 'average' or 'live' fixes it.")
                .add("conditional", "auto", "Train a conditional GAN on the gan.label header: 'true', 'false', or 'auto' "
                        + "(as the checkpoint was, else conditional when the first record on the training topic has a label; the trainer waits "
                        + "for that record).")
                .optional("classes", "Class names of a conditional GAN in label order, comma-separated, as ingest's --classes: "
                        + "label i is the i-th name, and the GAN has as many labels as names. By default the names the training "
                        + "data carries (ingest writes them in each labelled record's gan.classes header), else the ten "
                        + "Fashion-MNIST names.")
                .add("spectral-norm", "false", "Spectrally normalise the discriminator's layers (power iteration; "
                        + "replaces its BatchNorm). Off until the quality measurements say otherwise.")
                .add("augment", "auto", "Augment what the discriminator sees, real and generated alike (DiffAugment): 'auto' (as 'ada' "
                        + "while the trainer has seen fewer than --augment-auto-until images, then off: it helped on 2,000 images and "
                        + "cost a little on 60,000), 'off', 'diffaugment' (each image with --augment-probability) or 'ada' (the "
                        + "probability steered by how sure the discriminator is of the real images, towards --augment-target).")
                .add("augment-auto-until", Long.toString(Augmentation.AUTO_UNTIL_IMAGES), "With --augment auto: distinct images seen "
                        + "(the replay buffer's fill) from which augmentation is switched off.")
                .add("augment-ops", "color,translation,cutout", "Augmentations to apply, comma-separated: color, translation, cutout.")
                .add("augment-probability", "auto", "With --augment diffaugment: the probability of each augmentation per image; with "
                        + "'ada': where it starts. 'auto': 1 for diffaugment (as published), 0 for ada (it rises when needed).")
                .add("augment-target", Double.toString(Augmentation.DEFAULT_TARGET), "With --augment ada: the mean sign of the "
                        + "discriminator's output on real images above which augmentation increases.")
                .add("loss", "bce", "The adversarial loss: 'bce' (the DCGAN paper's, the generator's half non-saturating) or 'hinge' "
                        + "(the SN-GAN and projection-discriminator papers').")
                .optional("discriminator-learning-rate", "The discriminator's Adam learning rate, for two time-scale updates (e.g. "
                        + "4e-4 with --learning-rate 1e-4); without it both networks use --learning-rate.")
                .add("r1-gamma", "0", "Weight of the R1 penalty on the discriminator's gradient at real images (gamma / 2 * "
                        + "E ||grad D(x)||^2, estimated by finite differences); 0 leaves it off.")
                .add("r1-interval", Integer.toString(Objective.DEFAULT_R1_INTERVAL), "With --r1-gamma: apply the penalty every this many "
                        + "steps, scaled by the interval (StyleGAN2's lazy regularisation).")
                .add("batch-size", "64", "Images per training step.")
                .add("replay-capacity", "auto", "Images kept in the reservoir replay buffer (one byte per pixel value); 'auto' keeps as many as "
                        + "fit in 256 MiB (342,392 of 28x28 gray, 21,845 of 64x64 RGB), so a dataset that fits is trained on whole "
                        + "once its stream has been read.")
                .add("replay-ratio", "0.5", "The most of each batch taken from the replay buffer while fresh images arrive; during a backlog the share is what "
                        + "was trained on over that plus the backlog, so a bulk ingest starts on fresh images.")
                .add("idle-policy", "train", "When no fresh images arrive: 'train' keeps training on the replay buffer, 'pause' waits.")
                .add("export-every-steps", "500", "Export and publish the generator every this many steps ...")
                .add("export-every", "60s", "... or after this much time since the last export, whichever comes first.")
                .add("sample-every-steps", "100", "Write a fixed-noise sample grid every this many steps.")
                .add("max-steps", "0", "Stop after this many steps (0: train forever); the final generator is published.")
                .add("model-name", DECIDED_BY_DATA, "Model name: the models topic key and file prefix. 'auto': <--dataset>-dcgan<size>, "
                        + "e.g. fashion-dcgan28, so models of different data sets keep apart.")
                .add("dataset", "fashion", "The training data's name (letters, digits, '-'), the first part of an 'auto' --model-name; "
                        + "'gan demo' passes the name of its --data.")
                .add("models-dir", "models", "Directory the exported generators are written to.")
                .add("keep-models", "5", "How many versions the models directory keeps.")
                .optional("model-signing-key", "Ed25519 private key that signs every published model (a PEM file, BEGIN PRIVATE KEY, "
                        + "or a PKCS12/JKS keystore with --model-key-password); generators verify it with the public half. Without it "
                        + "models are published unsigned, which generators refuse unless started with --allow-unsigned-models.")
                .optional("model-key-password", "Password of the --model-signing-key keystore (not needed for a PEM file).")
                .add("samples-dir", "samples", "Directory of sample grids.")
                .add("checkpoint-dir", "checkpoints", "Directory of checkpoints; the trainer resumes from the newest one "
                        + "and commits consumer offsets only once a checkpoint covers them.")
                .add("checkpoint-every-steps", "500", "Write a checkpoint every this many steps ...")
                .add("checkpoint-every", "2m", "... or after this much time since the last one, whichever comes first "
                        + "(and always on a clean stop).")
                .add("checkpoint-keep", Integer.toString(CheckpointPolicy.DEFAULT_KEEP),
                        "How many of the newest checkpoints the directory keeps.")
                .add("checkpoint-on-mismatch", "fail", "When the newest checkpoint is unreadable or of another "
                        + "architecture: 'fail' stops start-up and changes nothing, 'ignore' moves it to rejected/ and "
                        + "resumes from an older one or starts fresh.")
                .optional("quality-data", "Labelled real images to measure the generator against (any form 'gan evaluate --real' "
                        + "takes, e.g. an IDX folder or sample:fashion-mnist). Turns on in-training quality: classifier FID, KID, "
                        + "precision, recall and coverage every --quality-every-steps, and the publish gate. Off when absent.")
                .optional("quality-held-out", "A separate held-out set for quality; by default the one --quality-data carries "
                        + "(t10k-* beside train-*), else a seeded 20% of it.")
                .add("quality-every-steps", "1000", "Measure quality every this many steps (and at every export while the gate is on).")
                .add("quality-count", "1000", "Generated images per measurement, compared with as many held-out images "
                        + "(capped at the held-out set's size). Fewer is cheaper and noisier.")
                .add("quality-gate", QualityMetrics.FID, "Publish an export only if it is not worse than the live model on this "
                        + "metric (fid, kid, precision, recall, coverage or cas) by more than --quality-gate-margin; 'off' publishes "
                        + "every export. The first model always publishes.")
                .add("quality-gate-margin", "0.1", "How much worse than the live model an export may be, as a fraction of the "
                        + "live model's score (0.1 = 10%).")
                .add("quality-cas-every", "3", "Measure CAS (a classifier trained on 1,000 generated images, tested on held-out real "
                        + "ones; conditional generators only; about 10 s on two cores) at every this many quality measurements, and at "
                        + "every export while --quality-gate is cas; 0 only for the gate.")
                .add("quality-dir", "quality", "Folder of the quality history: quality-history.csv, quality-history.json and "
                        + "quality-chart.png.")
                .add("quality-cache-dir", EvaluationOptions.DEFAULT_CACHE_DIR.toString(), "Where the evaluator's trained "
                        + "classifiers are kept, keyed by the data set's hash (shared with 'gan evaluate').");
    }

    private static QualitySettings quality(ConfigValues v) {
        Optional<QualityGate> gate;
        String metric = v.string("quality-gate").strip().toLowerCase(Locale.ROOT);
        try {
            gate = metric.equals("off") ? Optional.empty() : Optional.of(new QualityGate(metric, v.decimal("quality-gate-margin")));
            return new QualitySettings(v.optional("quality-data"), v.optional("quality-held-out"), v.integer("quality-every-steps"),
                    v.integer("quality-count"), gate, v.path("quality-dir"), v.path("quality-cache-dir"), v.integer("quality-cas-every"),
                    WeightsPolicy.parse(v.string("publish-weights")));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid quality settings: " + e.getMessage(), e);
        }
    }

    private static Objective objective(ConfigValues v) {
        try {
            return new Objective(Objective.Loss.parse(v.string("loss")),
                    v.optional("discriminator-learning-rate").map(rate -> v.decimal("discriminator-learning-rate")).orElse(0.0),
                    v.decimal("r1-gamma"), v.integer("r1-interval"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    private static Augmentation augmentation(ConfigValues v) {
        String mode = v.string("augment");
        try {
            // 'auto': an adaptive p starts from 0 (it rises when needed), a fixed one is 1, as DiffAugment was published.
            boolean adaptive = Augmentation.parseMode(mode) == Augmentation.Mode.ADAPTIVE;
            double probability = v.string("augment-probability").strip().equalsIgnoreCase("auto")
                    ? (adaptive ? 0.0 : 1.0)
                    : v.decimal("augment-probability");
            return Augmentation.parse(mode, v.string("augment-ops"), probability, v.decimal("augment-target"), v.longValue("augment-auto-until"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    /** Reads and validates the values. */
    public static TrainerConfig from(ConfigValues v) {
        Optional<ImageShape> imageShape = v.string("image-shape").strip().equalsIgnoreCase("auto")
                ? Optional.empty() : Optional.of(ImageShape.parse(v.string("image-shape")));
        imageShape.flatMap(TrainerConfig::unsupported).ifPresent(problem -> {
            throw new ConfigException(problem + " Fix --image-shape, or leave it 'auto'.");
        });
        Conditional conditional = v.choice("conditional", Conditional.class);
        Optional<ClassList> classes = v.optional("classes").map(TrainerConfig::classList);
        // With --image-shape auto the networks' size is settled by withProfile; until then they are sized as the default.
        ImageShape shape = imageShape.orElse(ImageShape.FASHION_MNIST);
        Widths widths = new Widths(width(v, "generator-width"), width(v, "discriminator-width"), Runtime.getRuntime().availableProcessors());
        GanConfig gan = new GanConfig(shape.width(), shape.channels(), v.integer("noise-dim"), widths.generatorFor(shape.width()),
                widths.discriminatorFor(shape.width()), v.decimal("learning-rate"), v.decimal("beta1"), GanConfig.DEFAULT_BETA2,
                v.longValue("seed"), v.integer("threads"), v.decimal("ema-decay"), v.bool("spectral-norm"),
                conditional == Conditional.TRUE ? classes.map(ClassList::size).orElse(0) : 0, augmentation(v), objective(v));
        IdlePolicy idle = v.choice("idle-policy", IdlePolicy.class);
        int batch = v.integer("batch-size");
        if (batch < 2 || batch > 4096) {
            throw new ConfigException("--batch-size must be between 2 and 4096 (BatchNorm needs at least 2), but was " + batch + ".");
        }
        Duration exportEvery = v.duration("export-every");
        CheckpointStore.OnMismatch onMismatch = v.choice("checkpoint-on-mismatch", CheckpointStore.OnMismatch.class);
        CheckpointPolicy checkpoints;
        try {
            checkpoints = new CheckpointPolicy(v.path("checkpoint-dir"), v.integer("checkpoint-every-steps"),
                    v.duration("checkpoint-every"), v.integer("checkpoint-keep"), onMismatch);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid checkpoint settings: " + e.getMessage()
                    + " Fix --checkpoint-every-steps, --checkpoint-every or --checkpoint-keep.", e);
        }
        return new TrainerConfig(KafkaOptions.kafka(v), KafkaOptions.topics(v), v.string("group-id"), v.string("host"),
                v.integer("port"), imageShape, gan, batch, replayCapacity(v.string("replay-capacity")), v.decimal("replay-ratio"), idle,
                new Schedule(v.integer("export-every-steps"), exportEvery, v.integer("sample-every-steps"), v.longValue("max-steps")),
                v.string("model-name"), datasetName(v.string("dataset")), v.path("models-dir"), v.integer("keep-models"), v.path("samples-dir"),
                checkpoints, conditional, classes, quality(v), signingKey(v), HttpServerConfig.from(v), widths);
    }

    private static OptionalInt width(ConfigValues v, String name) {
        return v.string(name).strip().equalsIgnoreCase("auto") ? OptionalInt.empty() : OptionalInt.of(v.integer(name));
    }

    private static String datasetName(String text) {
        String name = text.strip();
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9-]{0,63}")) {
            throw new ConfigException("--dataset names the training data in model names: letters, digits and '-', at most 64, "
                    + "starting with a letter or digit, but was '" + text + "'.");
        }
        return name;
    }

    private static Optional<PrivateKey> signingKey(ConfigValues v) {
        try {
            return v.optional("model-signing-key").map(file -> ModelKeys.privateKey(Path.of(file), v.optional("model-key-password")));
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new ConfigException(e.getMessage() + " Fix --model-signing-key.", e);
        }
    }

    /** {@code --classes}: class names, as everywhere in the pipeline; a conditional GAN needs two at least. */
    private static ClassList classList(String text) {
        ClassList classes;
        try {
            classes = ClassList.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid --classes: " + e.getMessage(), e);
        }
        if (classes.size() < 2) {
            throw new ConfigException("--classes lists the class names of a conditional GAN, at least two, comma-separated (e.g. "
                    + "--classes cat,dog; labels are indices into the list), but was '" + text + "'.");
        }
        return classes;
    }

    /**
     * Why the trainer cannot train images of that shape, as a sentence; empty when it can.
     */
    public static Optional<String> unsupported(ImageShape shape) {
        if (!shape.trainable()) {
            return Optional.of("The trainer trains 28x28 (dcgan28), 32x32 (dcgan32) or 64x64 (dcgan64) images, gray or RGB, but the images are "
                    + shape + ".");
        }
        return Optional.empty();
    }

    private static OptionalInt replayCapacity(String text) {
        if (text.strip().equalsIgnoreCase("auto")) {
            return OptionalInt.empty();
        }
        try {
            int capacity = Integer.parseInt(text.strip().replace("_", ""));
            if (capacity < 1) {
                throw new ConfigException("--replay-capacity must be at least 1 image, or 'auto', but was " + capacity + ".");
            }
            return OptionalInt.of(capacity);
        } catch (NumberFormatException e) {
            throw new ConfigException("--replay-capacity must be a number of images or 'auto', but was '" + text + "'.", e);
        }
    }

    /** The name models trained on images of {@code shape} take: {@code --model-name}, or for {@code auto} {@code <dataset>-dcgan<size>}. */
    public String modelNameFor(ImageShape shape) {
        return modelName.strip().equalsIgnoreCase(DECIDED_BY_DATA) ? dataset + "-dcgan" + shape.width() : modelName;
    }

    /**
     * A copy whose networks train images of {@code shape} with a label per name of {@code classes} (empty:
     * unconditional), once {@code --image-shape}, {@code --conditional} and the class names are decided.
     */
    public TrainerConfig withProfile(ImageShape shape, Optional<ClassList> classes) {
        GanConfig g = gan;
        int labels = classes.map(ClassList::size).orElse(0);
        GanConfig resolved = new GanConfig(shape.width(), shape.channels(), g.noiseDim(), widths.generatorFor(shape.width()),
                widths.discriminatorFor(shape.width()),
                g.learningRate(), g.beta1(), g.beta2(), g.seed(), g.threads(), g.emaDecay(), g.spectralNorm(), labels, g.augmentation(), g.objective());
        String named = modelNameFor(shape);
        return new TrainerConfig(kafka, topics, groupId, host, port, Optional.of(shape), resolved, batchSize, replayCapacity,
                replayRatio, idlePolicy, schedule, named, dataset, modelsDir, keepModels, samplesDir, checkpoints,
                conditional, classes, quality, modelSigningKey, http, widths);
    }

    /** A copy whose {@code auto} widths are the checkpoint's: a resumed trainer keeps its networks on any machine. */
    public TrainerConfig withWidthsOf(int generatorWidth, int discriminatorWidth) {
        Widths kept = new Widths(OptionalInt.of(widths.generator().orElse(generatorWidth)),
                OptionalInt.of(widths.discriminator().orElse(discriminatorWidth)), widths.cores());
        return new TrainerConfig(kafka, topics, groupId, host, port, imageShape, gan.withWidths(kept.generatorFor(gan.imageSize()),
                kept.discriminatorFor(gan.imageSize())), batchSize, replayCapacity, replayRatio, idlePolicy, schedule, modelName, dataset,
                modelsDir, keepModels, samplesDir, checkpoints, conditional, classNames, quality, modelSigningKey, http, kept);
    }

    /** The defaults, with overrides as {@code --flag value} pairs (for tests and the demo). */
    public static TrainerConfig of(String... args) {
        return from(ConfigValues.parse(spec(), java.util.Arrays.asList(args), java.util.Map.of()));
    }
}
