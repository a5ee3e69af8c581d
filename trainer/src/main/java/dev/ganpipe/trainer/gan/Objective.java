package dev.ganpipe.trainer.gan;

import java.util.Locale;

/**
 * What the two networks optimise: the loss, and the discriminator's learning rate when it differs from the generator's
 * (two time-scale updates, Heusel et al. 2017).
 *
 * @param loss the adversarial loss of both halves
 * @param discriminatorLearningRate the discriminator's Adam learning rate; 0 uses the generator's
 */
public record Objective(Loss loss, double discriminatorLearningRate) {

    /** The DCGAN objective: non-saturating BCE, one learning rate. */
    public static final Objective DEFAULT = new Objective(Loss.BCE, 0);

    /** The adversarial losses. */
    public enum Loss {
        /**
         * Binary cross-entropy on logits, the generator's half non-saturating: D minimises
         * {@code BCE(D(x), 1) + BCE(D(G(z)), 0)}, G minimises {@code BCE(D(G(z)), 1)} (the DCGAN paper's).
         */
        BCE,
        /**
         * Hinge loss (Lim and Ye 2017; the SN-GAN and projection-discriminator papers'): D minimises
         * {@code mean(relu(1 - D(x))) + mean(relu(1 + D(G(z))))}, G minimises {@code -mean(D(G(z)))}.
         */
        HINGE;

        /** Parses {@code bce} or {@code hinge}, with a sentence naming both otherwise. */
        public static Loss parse(String text) {
            return switch (text.strip().toLowerCase(Locale.ROOT)) {
                case "bce" -> BCE;
                case "hinge" -> HINGE;
                default -> throw new IllegalArgumentException("--loss takes bce or hinge, but was '" + text + "'.");
            };
        }
    }

    public Objective {
        if (loss == null) {
            throw new IllegalArgumentException("loss is null; use Loss.BCE for the DCGAN loss.");
        }
        if (!(discriminatorLearningRate == 0 || discriminatorLearningRate > 0 && discriminatorLearningRate < 1)) {
            throw new IllegalArgumentException("The discriminator's learning rate must be 0 (the generator's) or above 0 and below 1 "
                    + "(4e-4 is usual with two time-scales), but was " + discriminatorLearningRate + ".");
        }
    }

    /** The discriminator's learning rate given the generator's. */
    public double discriminatorRate(double generatorRate) {
        return discriminatorLearningRate > 0 ? discriminatorLearningRate : generatorRate;
    }
}
