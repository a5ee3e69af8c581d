package dev.ganpipe.trainer.gan;

import java.util.Locale;

/**
 * What the two networks optimise: the loss, the discriminator's learning rate when it differs from the generator's
 * (two time-scale updates, Heusel et al. 2017), and an optional R1 penalty on the discriminator's gradient at real
 * images (Mescheder et al. 2018), applied lazily (every {@code r1Interval} steps, scaled by the interval, as StyleGAN2
 * does) and estimated by finite differences ({@link R1Penalty} says why).
 *
 * @param loss the adversarial loss of both halves
 * @param discriminatorLearningRate the discriminator's Adam learning rate; 0 uses the generator's
 * @param r1Gamma the R1 weight {@code gamma} in {@code gamma / 2 * E ||grad_x D(x)||^2}; 0 turns R1 off
 * @param r1Interval every how many steps the penalty is applied (1: every step)
 */
public record Objective(Loss loss, double discriminatorLearningRate, double r1Gamma, int r1Interval) {

    /** StyleGAN2's lazy-regularisation interval for R1. */
    public static final int DEFAULT_R1_INTERVAL = 16;

    /** The DCGAN objective: non-saturating BCE, one learning rate, no R1. */
    public static final Objective DEFAULT = new Objective(Loss.BCE, 0);

    /** An objective without R1. */
    public Objective(Loss loss, double discriminatorLearningRate) {
        this(loss, discriminatorLearningRate, 0, DEFAULT_R1_INTERVAL);
    }

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
        if (!(r1Gamma >= 0 && r1Gamma <= 1000)) {
            throw new IllegalArgumentException("--r1-gamma must be 0 (off) or a weight above 0 and at most 1000 (0.1 to 10 is usual for "
                    + "small images), but was " + r1Gamma + ".");
        }
        if (r1Interval < 1 || r1Interval > 1000) {
            throw new IllegalArgumentException("--r1-interval must be 1 to 1000 steps (StyleGAN2 uses " + DEFAULT_R1_INTERVAL + "), but was "
                    + r1Interval + ".");
        }
    }

    /** Whether the R1 penalty is on. */
    public boolean r1() {
        return r1Gamma > 0;
    }

    /** Whether the step that has completed {@code completedSteps} steps so far applies the R1 penalty. */
    public boolean r1At(long completedSteps) {
        return r1() && completedSteps % r1Interval == 0;
    }

    /** This objective with R1 at weight {@code gamma} every {@code interval} steps. */
    public Objective withR1(double gamma, int interval) {
        return new Objective(loss, discriminatorLearningRate, gamma, interval);
    }

    /** The discriminator's learning rate given the generator's. */
    public double discriminatorRate(double generatorRate) {
        return discriminatorLearningRate > 0 ? discriminatorLearningRate : generatorRate;
    }
}
