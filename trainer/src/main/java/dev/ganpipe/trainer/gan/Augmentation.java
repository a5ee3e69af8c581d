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
 * @param activeBelowImages augmentation runs only while the trainer has seen fewer distinct images than this (its replay
 *     buffer's fill): {@code --augment auto}, which measured best on small data and a little worse on large
 *     ({@link #AUTO_UNTIL_IMAGES}); {@link Long#MAX_VALUE} for always
 */
public record Augmentation(Mode mode, boolean color, boolean translation, boolean cutout, double probability, double target,
        long activeBelowImages) {

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
    /**
     * Where {@code --augment auto} turns ADA off. Measured at equal wall time on Fashion-MNIST subsets (docs/quality.md,
     * "Chosen by the data's size"): ADA beat no augmentation on 2,000 images (FID 5.86 against 8.93 in 15 minutes) and
     * on 5,000 (8.68 against 9.38 in 12), and lost on 10,000 (8.21 against 6.85 in 12) and on all 60,000 (10.58 against
     * 8.98 in 8). The switch sits halfway between the last size it helped and the first it hurt.
     */
    public static final long AUTO_UNTIL_IMAGES = 7_500;
    /** Always on, whatever the data's size. */
    public static final long ALWAYS = Long.MAX_VALUE;
    /** No augmentation. */
    public static final Augmentation OFF = new Augmentation(Mode.OFF, false, false, false, 0, DEFAULT_TARGET, ALWAYS);
    /** The operations {@link #parseOperations} knows, in the order they are applied. */
    public static final List<String> OPERATIONS = List.of("color", "translation", "cutout");
    // After OPERATIONS, which it reads: static fields are set in the order they are written.
    /** The default, {@code --augment auto}: ADA with every operation, from p = 0, while fewer than {@link #AUTO_UNTIL_IMAGES} images are seen. */
    public static final Augmentation AUTO = parse("auto", String.join(",", OPERATIONS), 0, DEFAULT_TARGET, AUTO_UNTIL_IMAGES);

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
        if (activeBelowImages < 1) {
            throw new IllegalArgumentException("--augment-auto-until must be at least 1 image, but was " + activeBelowImages + ".");
        }
        if (mode != Mode.OFF && !color && !translation && !cutout) {
            throw new IllegalArgumentException("Augmentation is on but no operation is chosen; list some of " + OPERATIONS
                    + " in --augment-ops, or set --augment off.");
        }
    }

    /**
     * The augmentation {@code --augment MODE --augment-ops OPS --augment-probability P --augment-target T} describe:
     * MODE is {@code off}, {@code diffaugment} (every image augmented with probability P, 1 by default), {@code ada}
     * (p starts at P and is steered towards T) or {@code auto} (as {@code ada} while fewer than
     * {@link #AUTO_UNTIL_IMAGES} images are seen, then off).
     */
    public static Augmentation parse(String mode, String operations, double probability, double target) {
        return parse(mode, operations, probability, target, AUTO_UNTIL_IMAGES);
    }

    /** As {@link #parse(String, String, double, double)}, {@code auto} turning off at {@code autoUntilImages} images seen. */
    public static Augmentation parse(String mode, String operations, double probability, double target, long autoUntilImages) {
        Set<String> ops = parseOperations(operations);
        String name = mode.strip().toLowerCase(Locale.ROOT);
        Mode m = parseMode(mode);
        if (m == Mode.OFF) {
            return OFF;
        }
        return new Augmentation(m, ops.contains("color"), ops.contains("translation"), ops.contains("cutout"), probability, target,
                name.equals("auto") ? autoUntilImages : ALWAYS);
    }

    /** The mode an {@code --augment} value names ({@code auto} is adaptive, switched off by size). */
    public static Mode parseMode(String mode) {
        return switch (mode.strip().toLowerCase(Locale.ROOT)) {
            case "off", "none", "false" -> Mode.OFF;
            case "diffaugment", "fixed" -> Mode.FIXED;
            case "ada", "adaptive", "auto" -> Mode.ADAPTIVE;
            default -> throw new IllegalArgumentException("--augment must be auto, off, diffaugment or ada, but was '" + mode.strip() + "'.");
        };
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

    /** Whether any augmentation runs, at least while the data is small. */
    public boolean enabled() {
        return mode != Mode.OFF;
    }

    /** Whether augmentation runs once the trainer has seen {@code imagesSeen} distinct images. */
    public boolean activeAt(long imagesSeen) {
        return enabled() && imagesSeen < activeBelowImages;
    }

    /** Whether it turns itself off once enough images are seen ({@code --augment auto}). */
    public boolean bySize() {
        return enabled() && activeBelowImages != ALWAYS;
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
        String described = mode == Mode.FIXED
                ? String.format(Locale.ROOT, "diffaugment(%s; p %.2f)", String.join(",", ops), probability)
                : String.format(Locale.ROOT, "ada(%s; target %.2f, p from %.2f)", String.join(",", ops), target, probability);
        return bySize() ? String.format(Locale.ROOT, "auto: %s below %,d images seen, off from there", described, activeBelowImages) : described;
    }
}
