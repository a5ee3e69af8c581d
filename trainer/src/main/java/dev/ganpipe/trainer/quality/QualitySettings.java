package dev.ganpipe.trainer.quality;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How the trainer measures its generator.
 *
 * @param data labelled real images the evaluator's classifier learns from and the generator is compared with
 *     (any form {@code gan evaluate --real} takes); empty turns in-training quality and the gate off
 * @param heldOut a separate held-out set; empty uses the one {@code data} carries, else a seeded 20% of it
 * @param everySteps measure every this many steps (and at every export while the gate is on)
 * @param count generated images per measurement, compared with as many held-out images
 * @param gate the publish gate, empty when off
 * @param directory where the history (CSV, JSON, chart) is written
 * @param cacheDir where trained classifiers are cached
 * @param casEvery measure CAS (conditional generators) at every this many scheduled measurements, and at every
 *     judged export while the gate is on CAS; 0 measures it only for a CAS gate
 * @param weights which generator is published: chosen at each measurement ({@link WeightsPolicy#AUTO}) or fixed
 */
public record QualitySettings(Optional<String> data, Optional<String> heldOut, int everySteps, int count, Optional<QualityGate> gate,
        Path directory, Path cacheDir, int casEvery, WeightsPolicy weights) {

    public QualitySettings {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(heldOut, "heldOut");
        Objects.requireNonNull(gate, "gate");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(cacheDir, "cacheDir");
        Objects.requireNonNull(weights, "weights");
        if (everySteps < 1) {
            throw new IllegalArgumentException("Quality is measured every N steps with N at least 1, but N was " + everySteps + ".");
        }
        if (casEvery < 0) {
            throw new IllegalArgumentException("CAS is measured every N quality measurements with N at least 0 (0: only for a CAS gate), "
                    + "but N was " + casEvery + ".");
        }
        if (count < 50 || count > 50_000) {
            throw new IllegalArgumentException("A quality measurement compares between 50 and 50000 images (1000 is the in-training "
                    + "default), but the count was " + count + ".");
        }
    }

    /** Whether the trainer measures quality at all. */
    public boolean enabled() {
        return data.isPresent();
    }

    /** Quality off: no measurements, no gate. */
    public static QualitySettings off() {
        return new QualitySettings(Optional.empty(), Optional.empty(), 1000, 1000, Optional.empty(), Path.of("quality"),
                Path.of(".gan", "quality"), 0, WeightsPolicy.AUTO);
    }
}
