package dev.ganpipe.trainer.quality;

import dev.ganpipe.trainer.gan.GeneratorWeights;
import java.util.Locale;
import java.util.Optional;

/** {@code --publish-weights}: which of the trainer's generators samples and exports use. */
public enum WeightsPolicy {
    /** The better of the weight average and the live generator at each quality measurement; the average before one. */
    AUTO,
    /** Always the weight average (the live generator when the EMA is off). */
    AVERAGE,
    /** Always the live generator: the average is kept but not published. */
    LIVE;

    /** Parses a flag value, with a sentence naming the choices when it is none of them. */
    public static WeightsPolicy parse(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        for (WeightsPolicy p : values()) {
            if (p.name().toLowerCase(Locale.ROOT).equals(v)) {
                return p;
            }
        }
        throw new IllegalArgumentException("--publish-weights takes auto, average or live, but was '" + value + "'.");
    }

    /** The generator a fixed policy publishes; empty for {@link #AUTO}, which measures. */
    public Optional<GeneratorWeights> fixed() {
        return switch (this) {
            case AUTO -> Optional.empty();
            case AVERAGE -> Optional.of(GeneratorWeights.AVERAGE);
            case LIVE -> Optional.of(GeneratorWeights.LIVE);
        };
    }
}
