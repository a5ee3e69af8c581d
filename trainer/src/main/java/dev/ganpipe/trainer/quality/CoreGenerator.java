package dev.ganpipe.trainer.quality;

import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.quality.Generator;
import dev.ganpipe.trainer.gan.GanTrainingCore;
import dev.ganpipe.trainer.gan.GeneratorWeights;
import java.util.Arrays;

/**
 * A training core's published generator, as the evaluator sees it: the same network an export would write, measured
 * without exporting; or, from {@link #of}, the weight average or the live generator whichever is published, to compare
 * them. Call only from the thread that trains the core.
 */
public final class CoreGenerator implements Generator {

    private final GanTrainingCore core;
    private final ImageShape shape;
    private final String description;
    private final GeneratorWeights weights; // null: whichever the core publishes

    /** Described by the core's current training step. */
    public CoreGenerator(GanTrainingCore core, ImageShape shape) {
        this(core, shape, "the trainer's generator at step " + core.step());
    }

    public CoreGenerator(GanTrainingCore core, ImageShape shape, String description) {
        this(core, shape, description, null);
    }

    private CoreGenerator(GanTrainingCore core, ImageShape shape, String description, GeneratorWeights weights) {
        this.core = core;
        this.shape = shape;
        this.description = description;
        this.weights = weights;
    }

    /** The given generator of the core, whichever is published. */
    public static CoreGenerator of(GanTrainingCore core, GeneratorWeights weights, ImageShape shape, String description) {
        return new CoreGenerator(core, shape, description, weights);
    }

    /** The live generator, never the weight average: to measure what the average adds. */
    public static CoreGenerator live(GanTrainingCore core, ImageShape shape, String description) {
        return of(core, GeneratorWeights.LIVE, shape, description);
    }

    @Override
    public ImageShape shape() {
        return shape;
    }

    @Override
    public int noiseDim() {
        return core.config().noiseDim();
    }

    @Override
    public float[] generate(float[] z, int count) {
        return generate(z, (long[]) null, count);
    }

    @Override
    public boolean conditional() {
        return core.config().conditional();
    }

    @Override
    public float[] generate(float[] z, int[] labels, int count) {
        return generate(z, Arrays.stream(labels).asLongStream().toArray(), count);
    }

    private float[] generate(float[] z, long[] labels, int count) {
        if (weights == null) {
            return core.generate(z, labels, count);
        }
        return switch (weights) {
            case LIVE -> core.generateLive(z, labels, count);
            case AVERAGE -> core.generateAverage(z, labels, count);
        };
    }

    @Override
    public String description() {
        return description;
    }
}
