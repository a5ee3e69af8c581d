package dev.ganpipe.trainer.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.nn.SequentialBlock;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * An exponential moving average (EMA) of the generator's weights, kept in a second generator of the same layout:
 * after every generator update, {@code avg = d * avg + (1 - d) * w} for every trainable parameter. The average
 * generator gives smoother, usually better samples than the live one, which oscillates with the adversarial game;
 * samples and exports use it.
 *
 * <p>BatchNorm running statistics are <em>recomputed</em> under the averaged weights ({@link #recalibrate}) before the
 * average is used, not copied from the live generator: the live statistics describe the live weights' activations,
 * and the average's differ from those by a whole window of updates, so copied statistics normalise every layer with
 * the wrong mean and variance (Yazici et al. 2019 recompute them for the same reason).
 *
 * <p>The average's half-life ramps up with training: after t updates it is at most {@link #RAMP_UP} t updates (5%
 * of the steps so far), so the decay is {@code min(decay, 0.5^(1 / (0.05 t)))}, as StyleGAN2-ADA's
 * {@code ema_rampup}. A young average thus forgets its early, poor weights as fast as training moves on; with the
 * default 0.999 (a half-life of 693 updates) the ramp ends after 13,863 updates. It replaced TensorFlow's
 * {@code (1 + t) / (10 + t)} warm-up, itself a ramp with a half-life of about 7.7% of t (77 updates at step 1,000,
 * 231 at 3,000, against the ramp's 50 and 150); docs/quality.md has what each measured.
 */
final class GeneratorAverage {

    /** The average's half-life as a share of the updates so far, while that is shorter than the configured one. */
    static final double RAMP_UP = 0.05;

    private final SequentialBlock average;
    private final double decay;
    private final List<NDArray> averagedWeights = new ArrayList<>();
    private final List<NDArray> liveWeights = new ArrayList<>();
    private final List<NDArray> averagedBuffers = new ArrayList<>();
    private long updates;

    /** Builds the average generator in {@code manager}, starting equal to {@code live}. */
    GeneratorAverage(SequentialBlock live, GanConfig config, NDManager manager) {
        this.decay = config.emaDecay();
        this.average = DcganModels.generator(config);
        DcganModels.initialize(average, manager, DcganModels.generatorInputShapes(config), 0); // overwritten below
        ParameterList liveParams = live.getParameters();
        for (Pair<String, Parameter> p : average.getParameters()) {
            Parameter twin = liveParams.get(p.getKey());
            if (twin == null) {
                throw new IllegalStateException("The live generator has no parameter " + p.getKey()
                        + "; both generators must be built by DcganModels from the same configuration.");
            }
            boolean buffer = p.getValue().getType() == Parameter.Type.RUNNING_MEAN
                    || p.getValue().getType() == Parameter.Type.RUNNING_VAR;
            (buffer ? averagedBuffers : averagedWeights).add(p.getValue().getArray());
            if (!buffer) {
                liveWeights.add(twin.getArray()); // the average's statistics are recomputed, never taken from the live ones
            }
        }
        resetToLive();
    }

    /** The average generator (for sampling and export). */
    SequentialBlock block() {
        return average;
    }

    /**
     * Folds the live generator's current weights into the average; call after every generator update. The average's
     * running statistics are stale afterwards until the next {@link #recalibrate}.
     */
    void update() {
        float d = (float) currentDecay();
        for (int i = 0; i < averagedWeights.size(); i++) {
            // The product lands in the live weight's long-lived manager: close it at once.
            try (NDArray share = liveWeights.get(i).mul(1f - d)) {
                averagedWeights.get(i).muli(d).addi(share);
            }
        }
        updates++;
    }

    /**
     * Sets the average's BatchNorm running statistics to the mean over {@code batches} of its own batch statistics
     * ("standing statistics"): each call of {@code trainingForward} must run the average once in training mode on a
     * fresh batch, without recording gradients. A training-mode forward moves each running statistic to {@code m * old
     * + (1 - m) * batch}; starting it from zero leaves {@code (1 - m) * batch}, so the batch statistic is read back
     * exactly, layer by layer, with every layer seeing inputs normalised as in training.
     */
    void recalibrate(int batches, Runnable trainingForward) {
        if (averagedBuffers.isEmpty()) {
            return;
        }
        try (NDManager scope = averagedBuffers.getFirst().getManager().newSubManager()) {
            List<NDArray> sums = new ArrayList<>(averagedBuffers.size());
            List<NDArray> zeros = new ArrayList<>(averagedBuffers.size());
            for (NDArray buffer : averagedBuffers) {
                sums.add(scope.zeros(buffer.getShape(), buffer.getDataType()));
                zeros.add(scope.zeros(buffer.getShape(), buffer.getDataType()));
            }
            for (int b = 0; b < batches; b++) {
                for (int i = 0; i < averagedBuffers.size(); i++) {
                    // From an array of the scope: a scalar fill would allocate in the buffer's long-lived manager.
                    averagedBuffers.get(i).set(new NDIndex(":"), zeros.get(i));
                }
                trainingForward.run();
                for (int i = 0; i < averagedBuffers.size(); i++) {
                    sums.get(i).addi(averagedBuffers.get(i));
                }
            }
            float scale = 1f / (batches * (1f - DcganModels.BATCH_NORM_MOMENTUM));
            for (int i = 0; i < averagedBuffers.size(); i++) {
                averagedBuffers.get(i).set(new NDIndex(":"), sums.get(i).muli(scale));
            }
        }
    }

    /** Makes the average's weights equal to the live generator's and restarts the ramp (statistics: {@link #recalibrate}). */
    void resetToLive() {
        copy(liveWeights, averagedWeights);
        updates = 0;
    }

    /** Updates applied so far. */
    long updates() {
        return updates;
    }

    /** Continues the ramp from a restored count (the weights are restored with the block's parameters). */
    void restoreUpdates(long count) {
        this.updates = count;
    }

    /** The decay the next update uses. */
    double currentDecay() {
        return decayAfter(decay, updates);
    }

    /** The decay of update number {@code updates + 1} of an average configured with {@code decay}: see the class comment. */
    static double decayAfter(double decay, long updates) {
        double halfLife = RAMP_UP * updates;
        return halfLife <= 0 ? 0 : Math.min(decay, Math.pow(0.5, 1 / halfLife));
    }

    private static void copy(List<NDArray> from, List<NDArray> to) {
        for (int i = 0; i < from.size(); i++) {
            to.get(i).set(new NDIndex(":"), from.get(i));
        }
    }
}
