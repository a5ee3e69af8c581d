package dev.ganpipe.trainer.quality;

import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.quality.Generator;
import dev.ganpipe.trainer.gan.GanTrainingCore;
import java.util.Arrays;

/**
 * A training core's published generator (the weight average when EMA is on), as the evaluator sees it: the same
 * network an export would write, measured without exporting. Call only from the thread that trains the core.
 */
public final class CoreGenerator implements Generator {

    private final GanTrainingCore core;
    private final ImageShape shape;
    private final String description;

    /** Described by the core's current training step. */
    public CoreGenerator(GanTrainingCore core, ImageShape shape) {
        this(core, shape, "the trainer's generator at step " + core.step());
    }

    public CoreGenerator(GanTrainingCore core, ImageShape shape, String description) {
        this.core = core;
        this.shape = shape;
        this.description = description;
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
        return core.generate(z, null, count);
    }

    @Override
    public boolean conditional() {
        return core.config().conditional();
    }

    @Override
    public float[] generate(float[] z, int[] labels, int count) {
        return core.generate(z, Arrays.stream(labels).asLongStream().toArray(), count);
    }

    @Override
    public String description() {
        return description;
    }
}
