package dev.ganpipe.trainer.quality;

import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.quality.Generator;
import dev.ganpipe.trainer.gan.GanTrainingCore;
import java.util.Arrays;

/**
 * A training core's published generator (the weight average when EMA is on), as the evaluator sees it: the same
 * network an export would write, measured without exporting; or, from {@link #live}, the live generator the average
 * is taken of. Call only from the thread that trains the core.
 */
public final class CoreGenerator implements Generator {

    private final GanTrainingCore core;
    private final ImageShape shape;
    private final String description;
    private final boolean live;

    /** Described by the core's current training step. */
    public CoreGenerator(GanTrainingCore core, ImageShape shape) {
        this(core, shape, "the trainer's generator at step " + core.step());
    }

    public CoreGenerator(GanTrainingCore core, ImageShape shape, String description) {
        this(core, shape, description, false);
    }

    private CoreGenerator(GanTrainingCore core, ImageShape shape, String description, boolean live) {
        this.core = core;
        this.shape = shape;
        this.description = description;
        this.live = live;
    }

    /** The live generator, never the weight average: to measure what the average adds. */
    public static CoreGenerator live(GanTrainingCore core, ImageShape shape, String description) {
        return new CoreGenerator(core, shape, description, true);
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
        return live ? core.generateLive(z, null, count) : core.generate(z, null, count);
    }

    @Override
    public boolean conditional() {
        return core.config().conditional();
    }

    @Override
    public float[] generate(float[] z, int[] labels, int count) {
        long[] asLongs = Arrays.stream(labels).asLongStream().toArray();
        return live ? core.generateLive(z, asLongs, count) : core.generate(z, asLongs, count);
    }

    @Override
    public String description() {
        return description;
    }
}
