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
 * @param spinWait whether ONNX Runtime's intra-op threads spin between and after forward passes while they wait for
 *     work (its default) instead of sleeping. Spinning shaves a few wake-ups off one pass but takes a core from the
 *     HTTP threads that encode and send the last pass's images; the service turns it off (docs/generator.md,
 *     "Benchmark", has the measurement)
 */
public record OrtSettings(Provider provider, int intraOpThreads, OptLevel optimization, boolean spinWait) {

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
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("ONNX Runtime intra-op threads must be 0 (automatic) or more, but were " + intraOpThreads + ".");
        }
    }

    /** CPU, automatic threads, every graph optimisation, no spinning: what tests use. */
    public static OrtSettings cpu() {
        return new OrtSettings(Provider.CPU, 0, OptLevel.ALL_OPT, false);
    }

    /** These settings with ONNX Runtime's spin-waiting on or off. */
    public OrtSettings withSpinWait(boolean spin) {
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
