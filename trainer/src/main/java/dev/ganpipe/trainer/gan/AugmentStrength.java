package dev.ganpipe.trainer.gan;

import java.util.Arrays;

/**
 * The probability {@code p} with which {@link DiffAugment} transforms each image. Fixed, or, in the adaptive mode,
 * steered by how sure the discriminator is of the real images (Karras et al. 2020, "Training Generative Adversarial
 * Networks with Limited Data"): {@code r_t = E[sign(D(real))]} over the last {@link #INTERVAL} steps is 0 while the
 * discriminator cannot tell and approaches 1 as it memorises the training images; every {@link #INTERVAL} steps
 * {@code p} moves up when {@code r_t} is above the target and down when below, by an amount that lets it cross from 0
 * to 1 in {@link #IMAGES_FROM_0_TO_1} images, as StyleGAN2-ADA does.
 *
 * <p>With {@code --augment auto} it is switched off ({@link #setActive}) once the data is large: then every step uses
 * p = 0 and nothing is steered, while the strength reached is kept.
 *
 * <p>Its state is four numbers, which checkpoints carry ({@link #state()}, {@link #restore}): a resumed trainer goes on
 * with the strength it had reached, not from 0, and with augmentation on or off as it was.
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
    private boolean active = true;

    AugmentStrength(Augmentation settings) {
        this.settings = settings;
        this.probability = (float) settings.initialProbability();
    }

    /** The probability the next step uses: 0 while switched off. */
    double probability() {
        return active ? probability : 0;
    }

    /** Whether augmentation runs (on unless {@link #setActive switched} off). */
    boolean active() {
        return active;
    }

    /** Switches augmentation on or off; the strength reached and the interval's observations are kept. */
    void setActive(boolean on) {
        active = on;
    }

    /**
     * Adds the discriminator's raw outputs on this step's (augmented) real images to the estimate of {@code r_t}.
     *
     * @param signSum the sum of their signs (positives minus negatives)
     * @param count how many there were
     */
    void observeReal(long signSum, int count) {
        if (!active) {
            return;
        }
        this.signSum += signSum;
        this.signCount += count;
    }

    /** After step {@code step} (counted from 1) of {@code batchSize} images: adjusts {@code p} every {@link #INTERVAL} steps. */
    void afterStep(long step, int batchSize) {
        if (!active || settings.mode() != Augmentation.Mode.ADAPTIVE || step % INTERVAL != 0 || signCount == 0) {
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

    /**
     * {@code [p, sum of signs, count, active]} for a checkpoint, each exact in a float (p is one; the sum and count are
     * integers of at most a few hundred; active is 1 or 0).
     */
    float[] state() {
        return new float[] {probability, (float) signSum, (float) signCount, active ? 1 : 0};
    }

    /** Continues from {@link #state()}; a checkpoint from before the switch existed ({@code [p, sum, count]}) resumes switched on. */
    void restore(float[] state) {
        boolean valid = (state.length == 3 || state.length == 4) && state[0] >= 0 && state[0] <= 1 && state[2] >= 0
                && (state.length == 3 || state[3] == 0 || state[3] == 1);
        if (!valid) {
            throw new IllegalArgumentException("The saved augmentation strength must be [p in 0..1, sum, count >= 0, active 0 or 1], "
                    + "but was " + Arrays.toString(state) + ".");
        }
        probability = state[0];
        signSum = (long) state[1];
        signCount = (long) state[2];
        active = state.length == 3 || state[3] == 1;
    }
}
