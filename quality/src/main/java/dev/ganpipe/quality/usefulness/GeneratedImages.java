package dev.ganpipe.quality.usefulness;

import dev.ganpipe.common.image.CanonicalImage;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.image.ModelPixels;
import dev.ganpipe.common.model.Noise;
import dev.ganpipe.quality.Generator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Asks a generator for images, rounded to the 8-bit levels users receive, labelled with the class requested. */
final class GeneratedImages {

    /** Images per generator call. */
    private static final int BATCH = 250;

    private GeneratedImages() {
    }

    /**
     * {@code count} images from the seeded noise; a conditional generator is asked for the classes in turn (0, 1, 2,
     * ...), so image {@code i} is of class {@code i % classes}.
     *
     * @throws IllegalStateException when the generator returns the wrong number of values
     */
    static List<CanonicalImage> generate(Generator generator, int count, int classes, long seed) {
        ImageShape shape = generator.shape();
        int values = shape.values();
        float[] noise = Noise.gaussian(seed, count, generator.noiseDim());
        List<CanonicalImage> out = new ArrayList<>(count);
        for (int start = 0; start < count; start += BATCH) {
            int n = Math.min(BATCH, count - start);
            float[] z = Arrays.copyOfRange(noise, start * generator.noiseDim(), (start + n) * generator.noiseDim());
            float[] images;
            if (generator.conditional()) {
                int[] labels = new int[n];
                int first = start;
                Arrays.setAll(labels, i -> (first + i) % classes);
                images = generator.generate(z, labels, n);
            } else {
                images = generator.generate(z, n);
            }
            if (images == null || images.length != (long) n * values) {
                throw new IllegalStateException("The generator returned " + (images == null ? "null" : images.length + " values") + " for " + n
                        + " images of " + shape + "; it must return count * C * H * W = " + (long) n * values + " floats.");
            }
            for (int i = 0; i < n; i++) {
                out.add(ModelPixels.fromModelOutput(images, i * values, shape));
            }
        }
        return out;
    }

    /** The requested class of each of {@code count} images made by {@link #generate}. */
    static int[] requestedLabels(int count, int classes) {
        int[] labels = new int[count];
        Arrays.setAll(labels, i -> i % classes);
        return labels;
    }
}
