package dev.ganpipe.quality;

import dev.ganpipe.common.image.CanonicalImage;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.quality.data.RealData;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Test data a small CNN learns in seconds: three classes of bright shapes of random size and place on a dark,
 * slightly noisy background (0 square, 1 horizontal bar, 2 plus sign); RGB images get a random tint.
 */
public final class ShapeImages {

    /** The class names, index order. */
    public static final List<String> CLASSES = List.of("square", "bar", "plus");

    private ShapeImages() {
    }

    /** {@code perClass} images of each class, classes interleaved (0, 1, 2, 0, 1, 2, ...). */
    public static RealData data(String name, ImageShape shape, int perClass, long seed) {
        Random random = new Random(seed);
        List<CanonicalImage> images = new ArrayList<>();
        int[] labels = new int[perClass * CLASSES.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % CLASSES.size();
            images.add(image(random, shape, labels[i]));
        }
        return RealData.of(name, images, labels, CLASSES);
    }

    /** One image of a class. */
    public static CanonicalImage image(Random random, ImageShape shape, int label) {
        int w = shape.width();
        int h = shape.height();
        int c = shape.channels();
        byte[] px = new byte[shape.values()];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) random.nextInt(30);
        }
        int[] tint = new int[c];
        for (int k = 0; k < c; k++) {
            tint[k] = c == 1 ? 255 : 120 + random.nextInt(136);
        }
        int size = Math.min(w, h);
        int side = size / 3 + random.nextInt(size / 4);
        int x0 = random.nextInt(w - side);
        int y0 = random.nextInt(h - side);
        int thick = Math.max(2, side / 4);
        for (int y = y0; y < y0 + side; y++) {
            for (int x = x0; x < x0 + side; x++) {
                boolean on = switch (label) {
                    case 0 -> true;
                    case 1 -> Math.abs(y - (y0 + side / 2)) < thick / 2 + 1;
                    default -> Math.abs(y - (y0 + side / 2)) < thick / 2 + 1 || Math.abs(x - (x0 + side / 2)) < thick / 2 + 1;
                };
                if (on) {
                    for (int k = 0; k < c; k++) {
                        px[(y * w + x) * c + k] = (byte) (tint[k] - random.nextInt(20));
                    }
                }
            }
        }
        return new CanonicalImage(shape, px);
    }

    /** Model input (NCHW in [-1, 1]) of fresh images of the given classes. */
    public static float[] modelInput(Random random, ImageShape shape, int[] labels) {
        List<CanonicalImage> images = new ArrayList<>();
        for (int label : labels) {
            images.add(image(random, shape, label));
        }
        RealData data = RealData.of("generated", images, labels, CLASSES);
        int[] all = new int[labels.length];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return data.modelInput(all);
    }
}
