package dev.ganpipe.trainer;

import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.kafka.GanHeaders;
import dev.ganpipe.trainer.checkpoint.Architecture;
import dev.ganpipe.trainer.data.FirstImage;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what the networks train: the image shape ({@code --image-shape}) and the number of labels
 * ({@code --conditional}). A given value is taken as given; {@code auto} follows the newest checkpoint (so a restart
 * never changes architecture), else the first record on the training topic, which the trainer waits for rather than
 * guess before ingest has written one.
 */
final class TrainingProfile {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingProfile.class);

    private TrainingProfile() {
    }

    /** The configuration to train when the flags or the newest checkpoint decide it; empty when the first record must. */
    static Optional<TrainerConfig> withoutData(TrainerConfig config, Optional<Architecture> saved) {
        if (saved.isPresent()) {
            Architecture architecture = saved.get();
            ImageShape shape = config.imageShape().orElse(new ImageShape(architecture.imageSize(), architecture.imageSize(),
                    architecture.channels()));
            int classes = switch (config.conditional()) {
                case TRUE -> config.classes();
                case FALSE -> 0;
                case AUTO -> architecture.classes();
            };
            LOG.info("The newest checkpoint decides what 'auto' leaves open: {} images, {}.", shape,
                    classes > 0 ? "conditional (" + classes + " classes)" : "unconditional");
            return Optional.of(config.withProfile(shape, classes));
        }
        if (config.imageShape().isPresent() && config.conditional() != TrainerConfig.Conditional.AUTO) {
            return Optional.of(config.withProfile(config.imageShape().get(),
                    config.conditional() == TrainerConfig.Conditional.TRUE ? config.classes() : 0));
        }
        return Optional.empty();
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
                + "64x64x1 or 64x64x3 (the trainer waits for a record it can train).");
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
        int classes = switch (config.conditional()) {
            case TRUE -> config.classes();
            case FALSE -> 0;
            case AUTO -> first.labelled() ? config.classes() : 0;
        };
        LOG.info("The first record on {} decides the networks: {} images, {}.", config.topics().imagesTrain(), shape,
                classes > 0 ? "conditional on its " + GanHeaders.LABEL + " header (" + classes + " classes of --classes)"
                        : config.conditional() == TrainerConfig.Conditional.FALSE ? "unconditional (--conditional false)"
                        : "unconditional (it has no " + GanHeaders.LABEL + " header)");
        return config.withProfile(shape, classes);
    }
}
