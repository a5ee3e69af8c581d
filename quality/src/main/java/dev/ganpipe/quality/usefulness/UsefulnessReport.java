package dev.ganpipe.quality.usefulness;

import java.util.Objects;
import java.util.Optional;

/**
 * Whether a generator's images help: CAS and augmentation uplift (conditional generators only: both need the
 * requested label) and memorisation.
 *
 * @param cas the classification accuracy score, when the generator is conditional
 * @param uplift the augmentation uplift and the imbalanced case, when the generator is conditional
 * @param memorisation how close generated images come to training images
 * @param omitted why CAS and uplift are missing, or an empty string
 * @param options the options that decide the numbers
 * @param seconds how long the measures took
 */
public record UsefulnessReport(Optional<ClassificationAccuracyScore> cas, Optional<AugmentationUplift> uplift, Memorisation memorisation,
        String omitted, UsefulnessOptions options, double seconds) {

    /** Metric names, as {@code gan_trainer_quality{metric=...}} and model manifests use them. */
    public static final String CAS = "cas";
    public static final String CAS_RATIO = "cas_ratio";
    public static final String MEMORISED = "memorised";

    public UsefulnessReport {
        Objects.requireNonNull(cas, "cas");
        Objects.requireNonNull(uplift, "uplift");
        Objects.requireNonNull(memorisation, "memorisation");
        Objects.requireNonNull(omitted, "omitted");
        Objects.requireNonNull(options, "options");
    }
}
