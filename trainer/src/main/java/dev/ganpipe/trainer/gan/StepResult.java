package dev.ganpipe.trainer.gan;

/**
 * What one training step measured.
 *
 * @param step number of completed steps, 1 after the first
 * @param dLoss discriminator loss: BCE(D(real), 1) + BCE(D(fake), 0), each a batch mean
 * @param gLoss non-saturating generator loss BCE(D(G(z)), 1)
 * @param dRealMean mean sigmoid(D(real)) in the discriminator half
 * @param dFakeMean mean sigmoid(D(G(z))) in the discriminator half
 * @param augmentProbability the probability with which this step augmented each image (0 when augmentation is off)
 */
public record StepResult(long step, float dLoss, float gLoss, float dRealMean, float dFakeMean, float augmentProbability) {

    /** Whether both losses are finite; false means training has diverged. */
    public boolean isFinite() {
        return Float.isFinite(dLoss) && Float.isFinite(gLoss);
    }
}
