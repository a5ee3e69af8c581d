package dev.ganpipe.quality.usefulness;

import dev.ganpipe.quality.classifier.DomainClassifier;
import dev.ganpipe.quality.data.RealData;
import dev.ganpipe.quality.metrics.FeatureSet;
import dev.ganpipe.quality.metrics.NearestNeighbours;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/** Computes {@link Memorisation}: an exhaustive nearest-neighbour search against the whole training set. */
final class MemorisationSearch {

    /** Training images turned into floats at a time: 4,096 x 784 floats = 12.8 MB. */
    private static final int CHUNK = 4096;

    private MemorisationSearch() {
    }

    /**
     * @param generated the generated images to check
     * @param heldOut held-out real images: two seeded halves of up to {@code generated.count()} each are drawn
     * @throws IllegalArgumentException when the held-out set has fewer than 20 images
     */
    static Memorisation measure(RealData generated, RealData train, RealData heldOut, DomainClassifier classifier, int pairsShown, long seed) {
        int half = Math.min(generated.count(), heldOut.count() / 2);
        if (half < 10) {
            throw new IllegalArgumentException("Memorisation needs at least 20 held-out images to set its threshold, but " + heldOut.name() + " has "
                    + heldOut.count() + ".");
        }
        int[] picked = heldOut.sampleIndices(2 * half, seed + 17);
        RealData calibration = heldOut.subset(Arrays.copyOfRange(picked, 0, half), heldOut.name() + " (threshold half)");
        RealData reference = heldOut.subset(Arrays.copyOfRange(picked, half, 2 * half), heldOut.name() + " (reference half)");
        // One search for all three sets: the training set is the expensive side, so it is read once per space.
        int g = generated.count();
        RealData[] parts = {generated, calibration, reference};

        NearestNeighbours pixelSearch = new NearestNeighbours(pixels(parts));
        NearestNeighbours featureSearch = new NearestNeighbours(features(parts, classifier));
        for (int start = 0; start < train.count(); start += CHUNK) {
            int[] rows = IntStream.range(start, Math.min(train.count(), start + CHUNK)).toArray();
            RealData chunk = train.subset(rows, train.name());
            pixelSearch.add(pixels(new RealData[] {chunk}));
            featureSearch.add(classifier.extract(train, rows).vectors());
        }
        double[] pixelDistances = pixelSearch.distances();
        int[] pixelIndices = pixelSearch.indices();
        Memorisation.Space pixelSpace = space(pixelDistances, g, half);
        Memorisation.Space featureSpace = space(featureSearch.distances(), g, half);

        Integer[] order = new Integer[g];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble(i -> pixelDistances[i]));
        List<Memorisation.Pair> closest = new ArrayList<>();
        for (int n = 0; n < Math.min(pairsShown, g); n++) {
            int i = order[n];
            closest.add(new Memorisation.Pair(generated.image(i), train.image(pixelIndices[i]), pixelIndices[i], pixelDistances[i]));
        }
        return new Memorisation(g, half, train.count(), pixelSpace, featureSpace, closest);
    }

    /** The measure from distances laid out as [generated | calibration | reference]. */
    private static Memorisation.Space space(double[] distances, int generated, int half) {
        double[] gen = Arrays.copyOfRange(distances, 0, generated);
        double[] calibration = Arrays.copyOfRange(distances, generated, generated + half);
        double[] reference = Arrays.copyOfRange(distances, generated + half, generated + 2 * half);
        double threshold = percentile(calibration, Memorisation.PERCENTILE / 100.0);
        return new Memorisation.Space(threshold, shareBelow(gen, threshold), shareBelow(reference, threshold), percentile(gen, 0.5),
                percentile(reference, 0.5));
    }

    /** The {@code q}-quantile, linearly interpolated between order statistics. */
    static double percentile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double position = q * (sorted.length - 1);
        int lower = (int) Math.floor(position);
        int upper = Math.min(sorted.length - 1, lower + 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }

    private static double shareBelow(double[] values, double threshold) {
        long below = Arrays.stream(values).filter(v -> v < threshold).count();
        return below / (double) values.length;
    }

    /** The images of all parts, in order, as pixel vectors scaled to 0..1 (background 0, which the search skips). */
    private static FeatureSet pixels(RealData[] parts) {
        int values = parts[0].shape().values();
        int count = Arrays.stream(parts).mapToInt(RealData::count).sum();
        float[] out = new float[Math.multiplyExact(count, values)];
        int n = 0;
        for (RealData part : parts) {
            for (int i = 0; i < part.count(); i++, n++) {
                byte[] px = part.image(i).pixels();
                for (int k = 0; k < values; k++) {
                    out[n * values + k] = (px[k] & 0xff) / 255f;
                }
            }
        }
        return new FeatureSet(out, count, values);
    }

    /** The classifier features of all parts, in order. */
    private static FeatureSet features(RealData[] parts, DomainClassifier classifier) {
        int dim = classifier.architecture().featureDim();
        int count = Arrays.stream(parts).mapToInt(RealData::count).sum();
        float[] out = new float[Math.multiplyExact(count, dim)];
        int offset = 0;
        for (RealData part : parts) {
            int[] all = IntStream.range(0, part.count()).toArray();
            classifier.extract(part, all).vectors().copyInto(out, offset);
            offset += part.count() * dim;
        }
        return new FeatureSet(out, count, dim);
    }
}
