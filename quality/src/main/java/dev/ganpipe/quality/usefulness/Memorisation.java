package dev.ganpipe.quality.usefulness;

import dev.ganpipe.common.image.CanonicalImage;
import java.util.List;

/**
 * How close generated images come to the training images. A held-out real image is a new image of the same
 * distribution, so the distances from held-out images to their nearest training image say what "new" looks like:
 * the {@value #PERCENTILE}th percentile of them (from one half of the held-out sample) is the threshold, and the
 * share of generated images closer than it is set beside the share of the other half of held-out images (about
 * {@value #PERCENTILE}% by construction). A generator that hands out its training images scores far above that.
 *
 * @param generated generated images searched
 * @param heldOut held-out images in each half (threshold, reference)
 * @param trainImages training images searched against
 * @param pixels the measure in pixel space (Euclidean, pixels scaled to 0..1)
 * @param features the measure in the evaluator classifier's feature space
 * @param closest the generated images nearest to a training image in pixel space, nearest first
 */
public record Memorisation(int generated, int heldOut, int trainImages, Space pixels, Space features, List<Pair> closest) {

    /** The percentile of held-out distances that sets the threshold. */
    public static final int PERCENTILE = 5;

    public Memorisation {
        closest = List.copyOf(closest);
    }

    /**
     * One distance measure.
     *
     * @param threshold the {@value Memorisation#PERCENTILE}th percentile of held-out-to-training distances
     * @param generatedShare the share of generated images nearer a training image than {@code threshold}
     * @param heldOutShare the same share for the reference half of the held-out images
     * @param generatedMedian the median distance of generated images to their nearest training image
     * @param heldOutMedian the same for the reference held-out images
     */
    public record Space(double threshold, double generatedShare, double heldOutShare, double generatedMedian, double heldOutMedian) {
    }

    /**
     * A generated image and its nearest training image.
     *
     * @param generated the generated image
     * @param training its nearest training image in pixel space
     * @param trainIndex that image's index in the training set
     * @param distance their pixel distance
     */
    public record Pair(CanonicalImage generated, CanonicalImage training, int trainIndex, double distance) {
    }
}
