package dev.ganpipe.quality.usefulness;

import java.util.List;

/**
 * What adding generated images to a few real ones does to a classifier's held-out accuracy.
 *
 * @param rows one per k (real images per class)
 * @param generatedPerClass generated images per class added in the augmented runs
 * @param imbalanced the case of one class cut to a sliver of its images
 */
public record AugmentationUplift(List<Row> rows, int generatedPerClass, Imbalanced imbalanced) {

    public AugmentationUplift {
        rows = List.copyOf(rows);
    }

    /**
     * One k over several seeds.
     *
     * @param perClass k, real images per class
     * @param real held-out accuracy of each seed's classifier trained on the k real images per class
     * @param augmented held-out accuracy of each seed's classifier trained on the same images plus generated ones
     */
    public record Row(int perClass, List<Double> real, List<Double> augmented) {

        public Row {
            real = List.copyOf(real);
            augmented = List.copyOf(augmented);
            if (real.size() != augmented.size() || real.isEmpty()) {
                throw new IllegalArgumentException("Each seed needs a real and an augmented accuracy, but got " + real.size() + " and "
                        + augmented.size() + ".");
            }
        }

        /** Mean augmented minus mean real accuracy: above 0 means the generated images helped. */
        public double uplift() {
            return mean(augmented) - mean(real);
        }

        /** The standard deviation over seeds of the per-seed uplift (0 for one seed). */
        public double upliftSpread() {
            double m = uplift();
            if (real.size() < 2) {
                return 0;
            }
            double sum = 0;
            for (int i = 0; i < real.size(); i++) {
                double d = augmented.get(i) - real.get(i) - m;
                sum += d * d;
            }
            return Math.sqrt(sum / (real.size() - 1));
        }

        /** Mean real accuracy. */
        public double realMean() {
            return mean(real);
        }

        /** Mean augmented accuracy. */
        public double augmentedMean() {
            return mean(augmented);
        }

        private static double mean(List<Double> values) {
            return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }
    }

    /**
     * One class cut to a sliver of its share, then topped up with generated images of that class.
     *
     * @param classIndex the cut class
     * @param className its name
     * @param realKept its real images left after the cut
     * @param perClass real images of every other class
     * @param before the classifier trained on the cut set
     * @param after the same set topped up with {@code perClass - realKept} generated images of the cut class
     */
    public record Imbalanced(int classIndex, String className, int realKept, int perClass, TestScore before, TestScore after) {

        /** The cut class's recall without the generated images. */
        public double recallBefore() {
            return before.recall()[classIndex];
        }

        /** The cut class's recall with them. */
        public double recallAfter() {
            return after.recall()[classIndex];
        }
    }
}
