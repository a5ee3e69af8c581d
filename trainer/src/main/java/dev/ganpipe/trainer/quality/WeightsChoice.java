package dev.ganpipe.trainer.quality;

import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.quality.EvaluationReport;
import dev.ganpipe.quality.Evaluator;
import dev.ganpipe.trainer.gan.GanTrainingCore;
import dev.ganpipe.trainer.gan.GeneratorWeights;
import java.util.Locale;

/**
 * Chooses which of the core's generators to publish by measuring both with the same evaluator: the weight average
 * or the live weights, whichever has the lower FID (the average on a tie). The equal-step study found neither better
 * at every step (docs/quality.md, "Learning per step"), so the trainer decides at each measurement rather than once.
 * The choice uses the trainer's own in-training measurement (its held-out images), one bit chosen from two candidates.
 *
 * @param chosen the generator published from now on
 * @param report the chosen generator's evaluation (the one the trainer records)
 * @param averageFid the weight average's FID
 * @param liveFid the live generator's FID
 */
public record WeightsChoice(GeneratorWeights chosen, EvaluationReport report, double averageFid, double liveFid) {

    /**
     * Measures the weight average and the live generator, publishes the better on {@code core} and returns both
     * figures. A core without an average is measured once and keeps publishing its live generator. Call on the thread
     * that trains the core.
     */
    public static WeightsChoice choose(Evaluator evaluator, GanTrainingCore core, ImageShape shape) {
        String at = " at step " + core.step();
        if (!core.averaged()) {
            EvaluationReport live = evaluator.evaluate(CoreGenerator.live(core, shape, "the trainer's generator" + at));
            return new WeightsChoice(GeneratorWeights.LIVE, live, Double.NaN, live.generated().fid());
        }
        EvaluationReport average = evaluator.evaluate(CoreGenerator.of(core, GeneratorWeights.AVERAGE, shape,
                "the trainer's weight average" + at));
        EvaluationReport live = evaluator.evaluate(CoreGenerator.live(core, shape, "the trainer's live generator" + at));
        double averageFid = average.generated().fid();
        double liveFid = live.generated().fid();
        boolean liveBetter = liveFid < averageFid; // NaN on either side keeps the average
        GeneratorWeights chosen = liveBetter ? GeneratorWeights.LIVE : GeneratorWeights.AVERAGE;
        core.publish(chosen);
        return new WeightsChoice(chosen, liveBetter ? live : average, averageFid, liveFid);
    }

    /** A log sentence: what was measured and what is published now. */
    public String describe(long step) {
        if (Double.isNaN(averageFid)) {
            return String.format(Locale.ROOT, "FID %.2f at step %d (no weight average is kept)", liveFid, step);
        }
        return String.format(Locale.ROOT, "at step %d the weight average scores FID %.2f and the live generator %.2f, so the %s is published",
                step, averageFid, liveFid, chosen == GeneratorWeights.LIVE ? "live generator" : "weight average");
    }
}
