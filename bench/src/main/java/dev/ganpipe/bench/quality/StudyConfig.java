package dev.ganpipe.bench.quality;

import dev.ganpipe.common.config.ConfigException;
import dev.ganpipe.common.config.ConfigSpec;
import dev.ganpipe.common.config.ConfigValues;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.quality.EvaluationOptions;
import dev.ganpipe.trainer.gan.GanConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Every knob of {@code ./gan bench quality}, validated; {@link #spec()} lists them for {@code --help}.
 *
 * @param data labelled real images (a folder of IDX files with train-* and t10k-*), read as quality's loader reads them
 * @param steps training steps of every recipe
 * @param recipes the recipes, in the order they run
 * @param threads intra-op threads of both engines (0 keeps the engines' defaults)
 * @param batch images per step
 * @param usableImages only the first this many training images are trained on, or {@link #ALL_IMAGES}; the evaluator's
 *     classifier and floor use the whole training set either way
 * @param seed seed of the data order, the networks and the training noise
 * @param out where the table (Markdown, JSON), the sample grids and the per-recipe reports go
 * @param cacheDir the evaluator's classifier cache
 * @param python the interpreter of the PyTorch reference
 * @param progressEvery steps between progress lines
 * @param at the equal-step mode's measuring points, ascending (empty: the defaults study, measured after {@code steps});
 *     the largest is the steps trained
 * @param evalCount generated (and held-out) images per evaluation
 * @param seeds every seed the equal-step mode runs, {@code seed} first; one for the defaults study
 * @param minutes the equal-time mode's minutes of training per recipe, or {@link #NO_MINUTES} for the other modes (then
 *     {@code steps} is what every recipe trains; in this mode {@code steps} is unused)
 * @param measureEveryMinutes in the equal-time mode, minutes of training between in-training measurements
 * @param fidThreshold in the equal-time mode, the in-training FID (1,000 images) that time to quality is measured to
 * @param imageShape the shape the images are normalised to and the networks are built for: one of {@link #SHAPES};
 *     other than 28x28x1 only in the equal-time mode
 */
record StudyConfig(Path data, int steps, List<Recipe> recipes, int threads, int batch, int usableImages, long seed, Path out,
        Path cacheDir, String python, int progressEvery, List<Integer> at, int evalCount, List<Long> seeds, double minutes,
        double measureEveryMinutes, double fidThreshold, ImageShape imageShape) {

    /** {@code --usable-images all}: train on the whole training set. */
    static final int ALL_IMAGES = 0;
    /** The recipes of the equal-step mode unless --recipes says otherwise: ours as users run it, ours plain, PyTorch plain. */
    static final String EQUAL_STEP_RECIPES = "pipeline,seed,pytorch-seed";
    /**
     * The recipes of the equal-time mode unless --recipes says otherwise: the trainer's default on labelled data, and a
     * plain PyTorch DCGAN script.
     */
    static final String EQUAL_TIME_RECIPES = "pipeline-conditional,pytorch-seed";
    /** {@code minutes} of the modes that train for a number of steps. */
    static final double NO_MINUTES = 0;
    /** Steps of the defaults study unless --steps says otherwise. */
    static final int DEFAULT_STEPS = 1000;
    /** The longest equal-time run accepted: a day of training per recipe. */
    static final double MAX_MINUTES = 24 * 60;
    /** More in-training measurements than this per recipe would spend more time measuring than training on 2 cores. */
    static final int MAX_POINTS = 1000;
    /** The shapes both sides have networks for (the trainer's dcgan28, dcgan32, dcgan64; the PyTorch reference's alike). */
    static final List<ImageShape> SHAPES = List.of(ImageShape.FASHION_MNIST, new ImageShape(32, 32, 3), new ImageShape(64, 64, 3));

    StudyConfig {
        Objects.requireNonNull(data, "data");
        recipes = List.copyOf(recipes);
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(cacheDir, "cacheDir");
        Objects.requireNonNull(python, "python");
        seeds = List.copyOf(seeds);
        if (seeds.isEmpty() || seeds.getFirst() != seed) {
            throw new IllegalArgumentException("The seeds must start with the seed " + seed + ", but were " + seeds + ".");
        }
        if (steps < 1 || steps > 10_000_000) {
            throw new ConfigException("--steps must be between 1 and 10,000,000, but was " + steps + ".");
        }
        if (threads < 0 || threads > 1024) {
            throw new ConfigException("--threads must be between 0 (the engines' default) and 1024, but was " + threads + ".");
        }
        if (batch < 2 || batch > 4096) {
            throw new ConfigException("--batch must be between 2 and 4096 (BatchNorm needs two images), but was " + batch + ".");
        }
        if (usableImages != ALL_IMAGES && usableImages < batch) {
            throw new ConfigException("--usable-images must be 'all' or at least one batch (" + batch + "), but was " + usableImages + ".");
        }
        at = List.copyOf(at);
        for (int i = 0; i < at.size(); i++) {
            if (at.get(i) < 1 || (i > 0 && at.get(i) <= at.get(i - 1))) {
                throw new ConfigException("--at must list steps of at least 1 in ascending order, e.g. 1000,3000,7000, but was " + at + ".");
            }
        }
        if (!at.isEmpty() && steps != at.getLast()) {
            throw new ConfigException("--steps is " + steps + " but --at ends at " + at.getLast() + "; leave --steps out with --at.");
        }
        if (evalCount < 100) {
            throw new ConfigException("--eval-count must be at least 100, but was " + evalCount + ".");
        }
        if (progressEvery < 1) {
            throw new ConfigException("--progress-every must be at least 1, but was " + progressEvery + ".");
        }
        if (!(minutes >= 0 && minutes <= MAX_MINUTES)) {
            throw new ConfigException("--minutes must be above 0 and at most " + (int) MAX_MINUTES + " (a day), e.g. 12 or 0.5, but was "
                    + minutes + ".");
        }
        if (minutes != NO_MINUTES && !at.isEmpty()) {
            throw new ConfigException("--minutes (equal wall time) and --at (equal steps) are two different modes; give one of them.");
        }
        if (minutes != NO_MINUTES && seeds.size() > 1) {
            throw new ConfigException("The equal-time mode runs one seed (--seed " + seeds + " names several); run it once per seed.");
        }
        if (!(measureEveryMinutes > 0 && measureEveryMinutes <= MAX_MINUTES)) {
            throw new ConfigException("--measure-every-minutes must be above 0, e.g. 1 or 0.5, but was " + measureEveryMinutes + ".");
        }
        if (minutes != NO_MINUTES && measureEveryMinutes > minutes) {
            throw new ConfigException("--measure-every-minutes (" + measureEveryMinutes + ") is longer than --minutes (" + minutes
                    + "), so the curve would hold the last point only; give at most " + minutes + ".");
        }
        if (minutes != NO_MINUTES && minutes / measureEveryMinutes > MAX_POINTS) {
            throw new ConfigException("--minutes " + minutes + " with --measure-every-minutes " + measureEveryMinutes + " makes more than "
                    + MAX_POINTS + " measurements per recipe; measure less often.");
        }
        if (!(fidThreshold > 0 && Double.isFinite(fidThreshold))) {
            throw new ConfigException("--fid-threshold must be a positive FID, e.g. 70, but was " + fidThreshold + ".");
        }
        Objects.requireNonNull(imageShape, "imageShape");
        if (!SHAPES.contains(imageShape)) {
            throw new ConfigException("--image-shape must be one of " + SHAPES + " (the shapes both sides have networks for), but was "
                    + imageShape + ".");
        }
        if (!imageShape.equals(ImageShape.FASHION_MNIST) && minutes == NO_MINUTES) {
            throw new ConfigException("--image-shape " + imageShape + " needs the equal-time mode (--minutes); the other modes train "
                    + ImageShape.FASHION_MNIST + " images only.");
        }
    }

    /** The study's options, in the order {@code --help} prints them. */
    static ConfigSpec spec() {
        return new ConfigSpec("gan bench quality",
                "Chooses the trainer's defaults by measurement: trains every recipe (seed DCGAN, +EMA, +SN, +EMA+SN, "
                        + "+EMA+conditional, +EMA+replay) and the PyTorch reference in memory on the same seeded order of labelled "
                        + "images for the same number of steps, evaluates each published generator with the full evaluator "
                        + "(10,000 images, with the floor) and writes the table as Markdown and JSON with a sample grid per recipe. "
                        + "--at compares recipes at equal steps, --minutes at equal wall time.")
                .add("data", "../shared/datasets/fashion-mnist", "Labelled real images: a folder holding train-* and t10k-* IDX files "
                        + "(the t10k set is the held-out set), or any form './gan evaluate --real' takes. When it is missing, the "
                        + "bundled 500-image sample is used: enough to try the study, too few for figures (the output says so).")
                .optional("steps", "Training steps of every recipe (default " + DEFAULT_STEPS + "); with --at the last of its "
                        + "steps, and not allowed with --minutes.")
                .optional("recipes", "Comma-separated recipes to run, in order: " + Recipe.allIds() + " (or 'all'); default 'all', "
                        + EQUAL_STEP_RECIPES + " with --at and " + EQUAL_TIME_RECIPES + " with --minutes.")
                .add("threads", "0", "Intra-op threads of both engines; 0 keeps their defaults (one per core), and with --minutes "
                        + "means every core, as each recipe then trains alone.")
                .add("batch", "64", "Images per training step.")
                .add("usable-images", "all", "Train on the first this many training images only ('all': the whole training set; the "
                        + "bundled sample is trained on whole when it holds fewer).")
                .add("seed", "42", "Seed of the data order, the initial weights and the training noise. The equal-step mode takes "
                        + "several (e.g. 42,7,13): it runs every recipe for each in turn, prints each seed's ratio lines with a "
                        + "_seed_<n> suffix, and the headline 'ratio fid_ours_vs_pytorch_at_<steps>' as the median over the seeds, "
                        + "since two data orders alone can differ by 5% in FID.")
                .add("out", "quality-study", "Folder for results.md, results.json, samples/<recipe>.png and reports/<recipe>.json "
                        + "(equal-steps.md and .json with --at, equal-time.md and .json with --minutes).")
                .add("cache-dir", EvaluationOptions.DEFAULT_CACHE_DIR.toString(), "The evaluator's classifier cache (trained on first use, "
                        + "about 12 minutes on two cores).")
                .add("python", "/usr/bin/python3", "Python interpreter with torch for the PyTorch reference (Debian's python3-torch).")
                .add("progress-every", "50", "Steps between progress lines.")
                .optional("at", "Equal-step mode: measure every recipe after each of these steps (comma-separated, e.g. 1000,3000,7000) "
                        + "and train to the last. The PyTorch recipes train in a child process side by side with the trainer's, and "
                        + "'ratio fid_ours_vs_pytorch_at_<steps>' lines compare the first trainer recipe with the first PyTorch one. "
                        + "Recipes default to " + EQUAL_STEP_RECIPES + " in this mode.")
                .add("eval-count", Integer.toString(EvaluationOptions.FULL_COUNT), "Generated images per evaluation, against as many "
                        + "held-out ones.")
                .optional("minutes", "Equal-time mode: train each recipe alone, one after another, for this many minutes of training "
                        + "wall time (e.g. 12; fractions allowed; the clock pauses while a measurement runs), measure its published "
                        + "generator with the trainer's in-training evaluator (1,000 images) every --measure-every-minutes, and "
                        + "with the full evaluator at the end. Writes equal-time.md and equal-time.json and prints "
                        + "'ratio fid_<recipe>_vs_pytorch_seed_at_<M>min' and 'ratio minutes_to_fid<T>_<recipe>_vs_pytorch_seed' "
                        + "lines. Recipes default to " + EQUAL_TIME_RECIPES + " in this mode; not allowed with --at or --steps.")
                .add("measure-every-minutes", "1", "With --minutes: minutes of training between in-training measurements (the "
                        + "curve has one point per interval, and one at the end).")
                .add("fid-threshold", "70", "With --minutes: time to quality is the training time until the in-training FID "
                        + "(1,000 images; 1 to 2.5 points above the 10,000-image figure around step 3,000) first falls to this value or "
                        + "below. 70, because the PyTorch seed recipe scored 60.8 on 10,000 images after 12 minutes on 2 cores "
                        + "(docs/quality.md), so a lower threshold may not be reached by the reference at all.")
                .add("image-shape", ImageShape.FASHION_MNIST.toString(), "Shape the images are normalised to, and the networks both "
                        + "sides build: 28x28x1 (dcgan28); with --minutes also 32x32x3 (dcgan32) or 64x64x3 (dcgan64, e.g. the emoji "
                        + "tar scripts/emoji-dataset.py builds), whose widths are 32 below " + GanConfig.CLASSIC_WIDTH_MIN_CORES
                        + " cores, as the trainer's auto width.");
    }

    /** Reads and validates the values. */
    static StudyConfig from(ConfigValues v) {
        if (!v.positional().isEmpty()) {
            throw new ConfigException("'gan bench quality' takes no arguments besides options, but got " + v.positional()
                    + "; run it with --help to list the options.");
        }
        List<Integer> at = v.optional("at").map(StudyConfig::steps).orElse(List.of());
        double minutes = v.optional("minutes").isPresent() ? v.decimal("minutes") : NO_MINUTES;
        if (v.optional("minutes").isPresent() && minutes == NO_MINUTES) {
            throw new ConfigException("--minutes must be above 0, e.g. 12 or 0.5, but was " + v.string("minutes") + ".");
        }
        if (minutes != NO_MINUTES && v.optional("steps").isPresent()) {
            throw new ConfigException("--minutes trains every recipe for a time, not a number of steps; leave --steps out with --minutes "
                    + "(or --minutes out to train for --steps).");
        }
        int given = v.optional("steps").isPresent() ? v.integer("steps") : DEFAULT_STEPS;
        int steps = at.isEmpty() || v.optional("steps").isPresent() ? given : at.getLast();
        String recipes = v.optional("recipes").orElse(!at.isEmpty() ? EQUAL_STEP_RECIPES : minutes != NO_MINUTES ? EQUAL_TIME_RECIPES : "all");
        List<Long> seeds = seeds(v.string("seed"));
        if (seeds.size() > 1 && at.isEmpty() && minutes == NO_MINUTES) {
            throw new ConfigException("Several seeds (--seed " + v.string("seed") + ") need the equal-step mode; add --at, e.g. --at 3000.");
        }
        return new StudyConfig(v.path("data"), steps, Recipe.parseList(recipes), v.integer("threads"),
                v.integer("batch"), usableImages(v.string("usable-images")), seeds.getFirst(), v.path("out"), v.path("cache-dir"), v.string("python"),
                v.integer("progress-every"), at, v.integer("eval-count"), seeds, minutes, v.decimal("measure-every-minutes"),
                v.decimal("fid-threshold"), imageShape(v.string("image-shape")));
    }

    /** This configuration for one of its seeds, writing below {@code dir}. */
    StudyConfig forSeed(long oneSeed, Path dir) {
        return new StudyConfig(data, steps, recipes, threads, batch, usableImages, oneSeed, dir, cacheDir, python, progressEvery, at, evalCount,
                List.of(oneSeed), minutes, measureEveryMinutes, fidThreshold, imageShape);
    }

    private static List<Long> seeds(String text) {
        List<Long> seeds = new ArrayList<>();
        for (String part : text.split(",")) {
            try {
                long s = Long.parseLong(part.strip());
                if (seeds.contains(s)) {
                    throw new ConfigException("--seed names " + s + " twice; give each seed once.");
                }
                seeds.add(s);
            } catch (NumberFormatException e) {
                throw new ConfigException("--seed takes whole numbers, comma-separated (e.g. 42 or 42,7,13), but got '" + text + "'.", e);
            }
        }
        return seeds;
    }

    /** Whether this is the equal-step mode. */
    boolean equalSteps() {
        return !at.isEmpty();
    }

    /**
     * The networks both sides build for {@link #imageShape}, before a recipe's stabilisers: the trainer's DCGAN of that
     * size, at the width {@code ./gan trainer} takes on this machine ({@link GanConfig#autoWidth}).
     */
    GanConfig network() {
        GanConfig base = switch (imageShape.width()) {
            case 32 -> GanConfig.dcgan32();
            case 64 -> GanConfig.dcgan64();
            default -> GanConfig.dcgan28();
        };
        int width = GanConfig.autoWidth(imageShape.width(), Runtime.getRuntime().availableProcessors());
        return base.withWidths(width, width);
    }

    /** The PyTorch reference's name for {@link #network()}: {@code dcgan28}, {@code dcgan32} or {@code dcgan64}. */
    String arch() {
        return "dcgan" + imageShape.width();
    }

    /** Whether this is the equal-time mode. */
    boolean equalTime() {
        return minutes != NO_MINUTES;
    }

    /**
     * The equal-time mode's intra-op threads: as configured, else every core, since each recipe trains alone and a plain
     * script on this machine would use them all.
     */
    int timedThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    private static ImageShape imageShape(String text) {
        try {
            return ImageShape.parse(text.strip());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--image-shape must be WIDTHxHEIGHTxCHANNELS, one of " + SHAPES + ", but was '" + text.strip() + "'.", e);
        }
    }

    private static int usableImages(String text) {
        if (text.strip().equalsIgnoreCase("all")) {
            return ALL_IMAGES;
        }
        try {
            return Integer.parseInt(text.strip().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new ConfigException("--usable-images must be 'all' or a count of images, e.g. 10000, but was '" + text.strip() + "'.", e);
        }
    }

    private static List<Integer> steps(String text) {
        List<Integer> out = new ArrayList<>();
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            try {
                out.add(Integer.parseInt(part.strip().replace("_", "")));
            } catch (NumberFormatException e) {
                throw new ConfigException("--at must be comma-separated step counts, e.g. 1000,3000,7000, but holds '" + part.strip() + "'.", e);
            }
        }
        if (out.isEmpty()) {
            throw new ConfigException("--at is empty; give comma-separated step counts, e.g. 1000,3000,7000.");
        }
        return out;
    }
}
