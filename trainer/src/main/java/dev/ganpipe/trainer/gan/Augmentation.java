package dev.ganpipe.trainer.gan;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How the discriminator's inputs are augmented: differentiable augmentation (DiffAugment, Zhao et al. 2020) applied
 * alike to real and generated images in both halves of every step, each image transformed with probability {@code p},
 * where {@code p} is fixed or steered by the discriminator's overfitting (adaptive discriminator augmentation, ADA,
 * Karras et al. 2020).
 *
 * @param mode off, a fixed probability, or adaptive
 * @param color random brightness, saturation (RGB only) and contrast
 * @param translation random shifts of up to an eighth of the image, the uncovered border filled with mid-grey (0)
 * @param cutout a random square of half the image's side set to mid-grey
 * @param probability the fixed probability ({@link Mode#FIXED}), or where the adaptive one starts
 * @param target the adaptive mode's target for {@code r_t = E[sign(D(real))]}: above it the discriminator is judged to
 *     overfit and {@code p} rises, below it {@code p} falls (0.6, StyleGAN2-ADA's value)
 */
public record Augmentation(Mode mode, boolean color, boolean translation, boolean cutout, double probability, double target) {

    /** Whether and how {@code p} is set. */
    public enum Mode {
        /** No augmentation. */
        OFF,
        /** Every image augmented with the fixed {@code probability} (1: DiffAugment as published). */
        FIXED,
        /** {@code p} steered towards {@code target} (ADA). */
        ADAPTIVE
    }

    /** StyleGAN2-ADA's target for {@code r_t}. */
    public static final double DEFAULT_TARGET = 0.6;
    /** No augmentation. */
    public static final Augmentation OFF = new Augmentation(Mode.OFF, false, false, false, 0, DEFAULT_TARGET);
    /** The operations {@link #parseOperations} knows, in the order they are applied. */
    public static final List<String> OPERATIONS = List.of("color", "translation", "cutout");

    /** Checks the fields; messages name the option to change. */
    public Augmentation {
        if (mode == null) {
            throw new IllegalArgumentException("The augmentation mode is null; use Mode.OFF for none.");
        }
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("--augment-probability must be between 0 and 1, but was " + probability + ".");
        }
        if (!(target > 0 && target < 1)) {
            throw new IllegalArgumentException("--augment-target must be above 0 and below 1 (0.6 is usual), but was " + target + ".");
        }
        if (mode != Mode.OFF && !color && !translation && !cutout) {
            throw new IllegalArgumentException("Augmentation is on but no operation is chosen; list some of " + OPERATIONS
                    + " in --augment-ops, or set --augment off.");
        }
    }

    /**
     * The augmentation {@code --augment MODE --augment-ops OPS --augment-probability P --augment-target T} describe:
     * MODE is {@code off}, {@code diffaugment} (every image augmented with probability P, 1 by default) or {@code ada}
     * (p starts at P and is steered towards T).
     */
    public static Augmentation parse(String mode, String operations, double probability, double target) {
        Set<String> ops = parseOperations(operations);
        Mode m = switch (mode.strip().toLowerCase(Locale.ROOT)) {
            case "off", "none", "false" -> Mode.OFF;
            case "diffaugment", "fixed" -> Mode.FIXED;
            case "ada", "adaptive" -> Mode.ADAPTIVE;
            default -> throw new IllegalArgumentException("--augment must be off, diffaugment or ada, but was '" + mode.strip() + "'.");
        };
        if (m == Mode.OFF) {
            return OFF;
        }
        return new Augmentation(m, ops.contains("color"), ops.contains("translation"), ops.contains("cutout"), probability, target);
    }

    /** A comma-separated subset of {@link #OPERATIONS}; unknown names are refused with the list of known ones. */
    static Set<String> parseOperations(String text) {
        Set<String> ops = new LinkedHashSet<>();
        for (String part : text.split(",")) {
            String op = part.strip().toLowerCase(Locale.ROOT);
            if (op.isEmpty()) {
                continue;
            }
            if (op.equals("colour")) {
                op = "color";
            }
            if (!OPERATIONS.contains(op)) {
                throw new IllegalArgumentException("--augment-ops names an unknown operation '" + part.strip() + "'; use a "
                        + "comma-separated list of " + String.join(", ", OPERATIONS) + ".");
            }
            ops.add(op);
        }
        return ops;
    }

    /** Whether any augmentation runs. */
    public boolean enabled() {
        return mode != Mode.OFF;
    }

    /** The probability the first step uses. */
    public double initialProbability() {
        return mode == Mode.OFF ? 0 : probability;
    }

    /** A short description for logs and status, e.g. {@code ada(color,translation,cutout; target 0.6)}. */
    public String describe() {
        if (mode == Mode.OFF) {
            return "off";
        }
        List<String> ops = OPERATIONS.stream().filter(op -> switch (op) {
            case "color" -> color;
            case "translation" -> translation;
            default -> cutout;
        }).toList();
        return mode == Mode.FIXED
                ? String.format(Locale.ROOT, "diffaugment(%s; p %.2f)", String.join(",", ops), probability)
                : String.format(Locale.ROOT, "ada(%s; target %.2f, p from %.2f)", String.join(",", ops), target, probability);
    }
}
