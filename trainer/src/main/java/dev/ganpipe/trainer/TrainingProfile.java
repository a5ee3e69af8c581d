package dev.ganpipe.trainer;

import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.kafka.GanHeaders;
import dev.ganpipe.images.normalize.ClassList;
import dev.ganpipe.trainer.checkpoint.Architecture;
import dev.ganpipe.trainer.data.FirstImage;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what the networks train: the image shape ({@code --image-shape}), whether they are conditional
 * ({@code --conditional}) and on which class names ({@code --classes}). A given value is taken as given; {@code auto}
 * follows the newest checkpoint (so a restart never changes architecture), else the first record on the training
 * topic, which the trainer waits for rather than guess before ingest has written one. Class names not given come from
 * the data's {@code gan.classes} header.
 */
final class TrainingProfile {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingProfile.class);
    // How long a resumed trainer looks at the topic's first record for class names --classes did not give.
    private static final Duration NAMES_ON_RESUME = Duration.ofSeconds(10);

    private TrainingProfile() {
    }

    /**
     * The configuration to train when the flags or the newest checkpoint decide it; empty when the first record must.
     * After a checkpoint, class names not given are the label numbers until {@link #namesOnResume} finds better.
     */
    static Optional<TrainerConfig> withoutData(TrainerConfig config, Optional<Architecture> saved) {
        if (saved.isPresent()) {
            Architecture architecture = saved.get();
            ImageShape shape = config.imageShape().orElse(new ImageShape(architecture.imageSize(), architecture.imageSize(),
                    architecture.channels()));
            boolean conditional = switch (config.conditional()) {
                case TRUE -> true;
                case FALSE -> false;
                case AUTO -> architecture.classes() > 0;
            };
            Optional<ClassList> names = conditional
                    ? Optional.of(config.classNames().orElseGet(() -> numbered(architecture.classes())))
                    : Optional.empty();
            LOG.info("The newest checkpoint decides what 'auto' leaves open: {} images, {}.", shape,
                    names.map(n -> "conditional (" + n.size() + " classes)").orElse("unconditional"));
            return Optional.of(config.withWidthsOf(architecture.generatorWidth(), architecture.discriminatorWidth())
                    .withProfile(shape, names));
        }
        boolean namesKnown = config.conditional() != TrainerConfig.Conditional.TRUE || config.classNames().isPresent();
        if (config.imageShape().isPresent() && config.conditional() != TrainerConfig.Conditional.AUTO && namesKnown) {
            return Optional.of(config.withProfile(config.imageShape().get(),
                    config.conditional() == TrainerConfig.Conditional.TRUE ? config.classNames() : Optional.empty()));
        }
        return Optional.empty();
    }

    /**
     * A resumed conditional trainer whose {@code --classes} was not given takes the class names from the training
     * topic's first record when it names as many classes as the checkpoint has labels; else it keeps the label numbers.
     */
    static TrainerConfig namesOnResume(TrainerConfig requested, TrainerConfig resumed) {
        if (requested.classNames().isPresent() || !resumed.gan().conditional()) {
            return resumed;
        }
        long deadline = System.nanoTime() + NAMES_ON_RESUME.toNanos();
        Optional<FirstImage> first = FirstImage.await(requested.kafka(), requested.topics().train(), shape -> Optional.empty(),
                skipped -> { }, () -> System.nanoTime() < deadline);
        Optional<ClassList> names = first.flatMap(f -> classList(f.classNames())).filter(n -> n.size() == resumed.gan().classes());
        if (names.isEmpty()) {
            LOG.info("The training topic's first record names no {} classes in {}; the model names its classes by label number "
                    + "(pass --classes to name them).", resumed.gan().classes(), GanHeaders.CLASSES);
        }
        return names.map(n -> resumed.withProfile(resumed.shape(), Optional.of(n))).orElse(resumed);
    }

    /**
     * Why a record of {@code shape} cannot be the one that decides the networks; empty when it can. With
     * {@code --image-shape} given any shape may come first (records of another shape are skipped by the feed).
     */
    static Optional<String> usable(TrainerConfig config, ImageShape shape) {
        if (config.imageShape().isPresent()) {
            return Optional.empty();
        }
        return TrainerConfig.unsupported(shape).map(problem -> problem + " Ingest images with --image-shape 28x28x1, 28x28x3, "
                + "32x32x1, 32x32x3, 64x64x1 or 64x64x3 (the trainer waits for a record it can train).");
    }

    /**
     * The configuration to train, decided by the training topic's first record.
     *
     * @param first the first record {@link #usable} accepted
     */
    static TrainerConfig fromFirstImage(TrainerConfig config, FirstImage first) {
        ImageShape shape = config.imageShape().orElse(first.shape());
        if (config.imageShape().isPresent() && !shape.equals(first.shape())) {
            LOG.warn("The first record on {} is {}, not the {} of --image-shape; records of another shape are skipped and counted.",
                    config.topics().imagesTrain(), first.shape(), shape);
        }
        boolean conditional = switch (config.conditional()) {
            case TRUE -> true;
            case FALSE -> false;
            case AUTO -> first.labelled();
        };
        Optional<ClassList> names = conditional ? Optional.of(names(config, first)) : Optional.empty();
        LOG.info("The first record on {} decides the networks: {} images, {}.", config.topics().imagesTrain(), shape,
                names.map(n -> "conditional on its " + GanHeaders.LABEL + " header (" + n.size() + " classes: " + n + ")")
                        .orElse(config.conditional() == TrainerConfig.Conditional.FALSE ? "unconditional (--conditional false)"
                                : "unconditional (it has no " + GanHeaders.LABEL + " header)"));
        return config.withProfile(shape, names);
    }

    /** {@code --classes} when given, else the names the record carries, else (data from before they travelled) Fashion-MNIST's. */
    private static ClassList names(TrainerConfig config, FirstImage first) {
        if (config.classNames().isPresent()) {
            return config.classNames().get();
        }
        return classList(first.classNames()).orElseGet(() -> {
            LOG.warn("The first record on {} names no classes ({} header); training on the ten Fashion-MNIST classes. Pass "
                    + "--classes to name yours, or ingest with a current 'gan ingest', which writes them.",
                    config.topics().imagesTrain(), GanHeaders.CLASSES);
            return ClassList.fashionMnist();
        });
    }

    private static Optional<ClassList> classList(List<String> names) {
        if (names.size() < 2) {
            return Optional.empty(); // a conditional GAN needs two classes at least
        }
        try {
            return Optional.of(new ClassList(names));
        } catch (IllegalArgumentException e) {
            LOG.warn("The class names on the training topic are unusable ({}); they are ignored.", e.getMessage());
            return Optional.empty();
        }
    }

    /** Label numbers as names, "0" to "count - 1", when nothing names the classes. */
    private static ClassList numbered(int count) {
        return new ClassList(IntStream.range(0, count).mapToObj(Integer::toString).toList());
    }
}
