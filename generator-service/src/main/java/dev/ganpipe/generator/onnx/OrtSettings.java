package dev.ganpipe.generator.onnx;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import java.util.Locale;
import java.util.Objects;

/**
 * How ONNX Runtime sessions are built.
 *
 * @param provider which execution provider to use
 * @param intraOpThreads threads one forward pass may use; 0 lets ONNX Runtime choose (one per physical core)
 * @param optimization graph optimisation level
 * @param spinWait when ONNX Runtime's intra-op threads spin for work instead of sleeping (docs/generator.md, "Closing the
 *     gap", has the measurements)
 */
public record OrtSettings(Provider provider, int intraOpThreads, OptLevel optimization, SpinWait spinWait) {

    /**
     * When ONNX Runtime's intra-op threads spin-wait for work. A forward pass is a few dozen parallel sections, and a
     * thread that sleeps between them must be woken for each; one that spins on after the pass takes a core from the
     * HTTP threads that encode and send the pass's images.
     */
    public enum SpinWait {
        /** Never: idle threads sleep at once. */
        OFF,
        /** During a forward pass only: threads spin between its sections and stop when the pass returns. */
        DURING_PASS,
        /** Always, ONNX Runtime's own default: threads keep spinning a while after a pass too. */
        ALWAYS;

        /** Parses {@code off}, {@code pass} or {@code always} ({@code false} and {@code true}, the old values, still mean off and always). */
        public static SpinWait parse(String text) {
            return switch (text.strip().toLowerCase(Locale.ROOT)) {
                case "off", "false", "no" -> OFF;
                case "pass", "during-pass" -> DURING_PASS;
                case "always", "on", "true", "yes" -> ALWAYS;
                default -> throw new IllegalArgumentException("--ort-spin-wait must be off, pass or always, but was '" + text.strip() + "'.");
            };
        }

        /** The option's value for this setting. */
        public String optionValue() {
            return switch (this) {
                case OFF -> "off";
                case DURING_PASS -> "pass";
                case ALWAYS -> "always";
            };
        }
    }

    /** The execution provider preference. */
    public enum Provider {
        /** CUDA when an NVIDIA driver is present and the CUDA provider loads, otherwise CPU. */
        AUTO,
        /** CPU only. */
        CPU,
        /** CUDA or fail: for deployments where silently running on CPU would be a fault. */
        CUDA
    }

    public OrtSettings {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(optimization, "optimization");
        Objects.requireNonNull(spinWait, "spinWait");
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("ONNX Runtime intra-op threads must be 0 (automatic) or more, but were " + intraOpThreads + ".");
        }
    }

    /** CPU, automatic threads, every graph optimisation, no spinning: what tests use. */
    public static OrtSettings cpu() {
        return new OrtSettings(Provider.CPU, 0, OptLevel.ALL_OPT, SpinWait.OFF);
    }

    /** These settings with ONNX Runtime's spin-waiting as given. */
    public OrtSettings withSpinWait(SpinWait spin) {
        return new OrtSettings(provider, intraOpThreads, optimization, spin);
    }

    /** Parses {@code all}, {@code extended}, {@code basic} or {@code none}. */
    public static OptLevel parseOptimization(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "all" -> OptLevel.ALL_OPT;
            case "extended" -> OptLevel.EXTENDED_OPT;
            case "basic" -> OptLevel.BASIC_OPT;
            case "none" -> OptLevel.NO_OPT;
            default -> throw new IllegalArgumentException(
                    "The ONNX Runtime optimisation level must be all, extended, basic or none, but was '" + text + "'.");
        };
    }
}
