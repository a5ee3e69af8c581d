package dev.ganpipe.trainer.quality;

import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.quality.Generator;
import dev.ganpipe.trainer.gan.GanTrainingCore;

/**
 * The trainer's published generator (the weight average when EMA is on) as the evaluator sees it: the same
 * network an export would write, measured without exporting. Call only from the training thread.
 */
final class CoreGenerator implements Generator {

    private final GanTrainingCore core;
    private final ImageShape shape;
    private final long step;

    CoreGenerator(GanTrainingCore core, ImageShape shape) {
        this.core = core;
        this.shape = shape;
        this.step = core.step();
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
        return core.generate(z, count);
    }

    @Override
    public boolean conditional() {
        return core.config().conditional();
    }

    @Override
    public float[] generate(float[] z, int[] labels, int count) {
        long[] wide = new long[labels.length];
        for (int i = 0; i < labels.length; i++) {
            wide[i] = labels[i];
        }
        return core.generate(z, wide, count);
    }

    @Override
    public String description() {
        return "the trainer's generator at step " + step;
    }
}
