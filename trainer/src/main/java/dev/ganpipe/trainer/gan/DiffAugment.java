package dev.ganpipe.trainer.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.ganpipe.common.model.NoiseRandom;

/**
 * Differentiable augmentation of a batch before the discriminator (DiffAugment, Zhao et al. 2020), with each
 * operation applied to each image with probability {@code p} (as adaptive discriminator augmentation does). Every
 * operation is arithmetic on the batch with constants drawn here: additions, products with per-image factors, matrix
 * products with shift matrices and a mask, so gradients flow through it to the generator in the generator half, and
 * the discriminator only ever sees augmented images, real or generated alike, so the augmentations do not leak into
 * what the generator learns.
 *
 * <p>The random draws come from the {@link NoiseRandom} the caller passes (one per half-step, seeded from the step),
 * so a resumed trainer augments exactly as an uninterrupted one would.
 */
final class DiffAugment {

    /** Largest shift, as a share of the side: DiffAugment's 1/8. */
    static final double TRANSLATION_RATIO = 0.125;
    /** Side of the cut-out square, as a share of the image's side: DiffAugment's 1/2. */
    static final double CUTOUT_RATIO = 0.5;

    private final Augmentation settings;

    DiffAugment(Augmentation settings) {
        this.settings = settings;
    }

    /**
     * The augmented batch.
     *
     * @param images {@code (N, C, H, W)} in [-1, 1]
     * @param p the probability that each operation transforms each image
     * @param random the draws of this half-step
     * @param scope where the constants and results live
     * @return {@code images} itself when nothing is applied, else a new array of the same shape
     */
    NDArray apply(NDArray images, double p, NoiseRandom random, NDManager scope) {
        if (!settings.enabled() || p <= 0) {
            return images;
        }
        Shape shape = images.getShape();
        int n = (int) shape.get(0);
        int channels = (int) shape.get(1);
        int height = (int) shape.get(2);
        int width = (int) shape.get(3);
        NDArray out = images;
        if (settings.color()) {
            out = color(out, n, channels, p, random, scope);
        }
        if (settings.translation()) {
            out = translate(out, n, channels, height, width, p, random, scope);
        }
        if (settings.cutout()) {
            out = cutout(out, n, height, width, p, random, scope);
        }
        return out;
    }

    /** Brightness (add u - 0.5), saturation (scale the distance from the grey mean by 2u, RGB only), contrast (scale by u + 0.5). */
    private static NDArray color(NDArray x, int n, int channels, double p, NoiseRandom random, NDManager scope) {
        float[] brightness = new float[n];
        float[] saturation = new float[n];
        float[] contrast = new float[n];
        boolean any = false;
        for (int i = 0; i < n; i++) {
            brightness[i] = random.nextDouble() < p ? (float) (random.nextDouble() - 0.5) : 0f;
            saturation[i] = channels == 3 && random.nextDouble() < p ? (float) (2 * random.nextDouble()) : 1f;
            contrast[i] = random.nextDouble() < p ? (float) (random.nextDouble() + 0.5) : 1f;
            any |= brightness[i] != 0f || saturation[i] != 1f || contrast[i] != 1f;
        }
        if (!any) {
            return x;
        }
        Shape perImage = new Shape(n, 1, 1, 1);
        NDArray out = x.add(scope.create(brightness, perImage));
        if (channels == 3) {
            NDArray grey = out.mean(new int[] {1}, true);
            out = out.sub(grey).mul(scope.create(saturation, perImage)).add(grey);
        }
        NDArray mean = out.reshape(n, -1).mean(new int[] {1}, true).reshape(perImage); // DJL's mean takes one axis
        return out.sub(mean).mul(scope.create(contrast, perImage)).add(mean);
    }

    /**
     * Shifts each image by up to an eighth of its side in each direction, filling the uncovered border with 0: one
     * gather of every output pixel from its source pixel, times a mask that zeroes the pixels whose source lies outside
     * the image. The gather's gradient is a scatter-add, so gradients pass straight through to the pixels in view. The
     * work is one read per pixel; one-hot shift matrices (rows x image x columns) cost H + W multiply-adds per pixel,
     * which on 64x64 RGB took a quarter of the training step.
     */
    private static NDArray translate(NDArray x, int n, int channels, int height, int width, double p, NoiseRandom random,
            NDManager scope) {
        int maxY = (int) (height * TRANSLATION_RATIO + 0.5);
        int maxX = (int) (width * TRANSLATION_RATIO + 0.5);
        int pixels = height * width;
        long[] source = new long[n * pixels];
        float[] inView = new float[n * pixels];
        boolean any = false;
        for (int i = 0; i < n; i++) {
            boolean shift = random.nextDouble() < p;
            int dy = shift ? random.nextInt(2 * maxY + 1) - maxY : 0;
            int dx = shift ? random.nextInt(2 * maxX + 1) - maxX : 0;
            any |= dy != 0 || dx != 0;
            for (int r = 0; r < height; r++) {
                int fromRow = r + dy; // output pixel (r, c) shows input pixel (r + dy, c + dx)
                for (int c = 0; c < width; c++) {
                    int fromColumn = c + dx;
                    boolean visible = fromRow >= 0 && fromRow < height && fromColumn >= 0 && fromColumn < width;
                    int at = i * pixels + r * width + c;
                    source[at] = visible ? (long) fromRow * width + fromColumn : 0;
                    inView[at] = visible ? 1f : 0f;
                }
            }
        }
        if (!any) {
            return x;
        }
        NDArray index = scope.create(source, new Shape(n, 1, pixels)).broadcast(new Shape(n, channels, pixels));
        NDArray shifted = x.reshape(n, channels, pixels).gather(index, 2).reshape(n, channels, height, width);
        return shifted.mul(scope.create(inView, new Shape(n, 1, height, width)));
    }

    /** Sets a square of half the side, centred anywhere in the image (clipped at its edges), to 0. */
    private static NDArray cutout(NDArray x, int n, int height, int width, double p, NoiseRandom random, NDManager scope) {
        int cutY = (int) (height * CUTOUT_RATIO + 0.5);
        int cutX = (int) (width * CUTOUT_RATIO + 0.5);
        float[] mask = new float[n * height * width];
        java.util.Arrays.fill(mask, 1f);
        boolean any = false;
        for (int i = 0; i < n; i++) {
            if (random.nextDouble() >= p) {
                continue;
            }
            any = true;
            int top = random.nextInt(height) - cutY / 2;
            int left = random.nextInt(width) - cutX / 2;
            for (int y = Math.max(0, top); y < Math.min(height, top + cutY); y++) {
                for (int c = Math.max(0, left); c < Math.min(width, left + cutX); c++) {
                    mask[(i * height + y) * width + c] = 0f;
                }
            }
        }
        return any ? x.mul(scope.create(mask, new Shape(n, 1, height, width))) : x;
    }
}
