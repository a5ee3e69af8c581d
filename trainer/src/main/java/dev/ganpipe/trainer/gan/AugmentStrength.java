package dev.ganpipe.trainer.gan;

/**
 * The probability {@code p} with which {@link DiffAugment} transforms each image. Fixed, or, in the adaptive mode,
 * steered by how sure the discriminator is of the real images (Karras et al. 2020, "Training Generative Adversarial
 * Networks with Limited Data"): {@code r_t = E[sign(D(real))]} over the last {@link #INTERVAL} steps is 0 while the
 * discriminator cannot tell and approaches 1 as it memorises the training images; every {@link #INTERVAL} steps
 * {@code p} moves up when {@code r_t} is above the target and down when below, by an amount that lets it cross from 0
 * to 1 in {@link #IMAGES_FROM_0_TO_1} images, as StyleGAN2-ADA does.
 *
 * <p>Its state is three numbers, which checkpoints carry ({@link #state()}, {@link #restore}): a resumed trainer goes on
 * with the strength it had reached, not from 0.
 */
final class AugmentStrength {

    /** Steps between adjustments (StyleGAN2-ADA's {@code ada_interval}). */
    static final int INTERVAL = 4;
    /** Images over which {@code p} can go from 0 to 1 (StyleGAN2-ADA's {@code ada_kimg} of 500). */
    static final double IMAGES_FROM_0_TO_1 = 500_000;

    private final Augmentation settings;
    private float probability; // a float throughout, so a checkpoint's float holds it exactly
    private long signSum;
    private long signCount;

    AugmentStrength(Augmentation settings) {
        this.settings = settings;
        this.probability = (float) settings.initialProbability();
    }

    /** The probability the next step uses. */
    double probability() {
        return probability;
    }

    /**
     * Adds the discriminator's raw outputs on this step's (augmented) real images to the estimate of {@code r_t}.
     *
     * @param signSum the sum of their signs (positives minus negatives)
     * @param count how many there were
     */
    void observeReal(long signSum, int count) {
        this.signSum += signSum;
        this.signCount += count;
    }

    /** After step {@code step} (counted from 1) of {@code batchSize} images: adjusts {@code p} every {@link #INTERVAL} steps. */
    void afterStep(long step, int batchSize) {
        if (settings.mode() != Augmentation.Mode.ADAPTIVE || step % INTERVAL != 0 || signCount == 0) {
            return;
        }
        double rt = signSum / (double) signCount;
        double adjust = Math.signum(rt - settings.target()) * INTERVAL * batchSize / IMAGES_FROM_0_TO_1;
        probability = (float) Math.clamp(probability + adjust, 0.0, 1.0);
        signSum = 0;
        signCount = 0;
    }

    /** {@code r_t} so far in this interval, or NaN before the first observation. */
    double overfitting() {
        return signCount == 0 ? Double.NaN : signSum / (double) signCount;
    }

    /** {@code [p, sum of signs, count]} for a checkpoint, each exact in a float (p is one; the others are integers of at most a few hundred). */
    float[] state() {
        return new float[] {probability, (float) signSum, (float) signCount};
    }

    /** Continues from {@link #state()}. */
    void restore(float[] state) {
        if (state.length != 3 || !(state[0] >= 0 && state[0] <= 1) || state[2] < 0) {
            throw new IllegalArgumentException("The saved augmentation strength must be [p in 0..1, sum, count >= 0], but was "
                    + java.util.Arrays.toString(state) + ".");
        }
        probability = state[0];
        signSum = (long) state[1];
        signCount = (long) state[2];
    }
}
