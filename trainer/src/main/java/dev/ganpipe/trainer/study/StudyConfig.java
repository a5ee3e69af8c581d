package dev.ganpipe.trainer.study;

import dev.ganpipe.common.config.ConfigException;
import dev.ganpipe.common.config.ConfigSpec;
import dev.ganpipe.common.config.ConfigValues;
import dev.ganpipe.quality.EvaluationOptions;
import java.nio.file.Path;
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
 * @param usableImages only the first this many training images are trained on (the shared copy's labels are shifted
 *     from 51,660 on); the evaluator's classifier and floor still use the whole training set
 * @param seed seed of the data order, the networks and the training noise
 * @param out where the table (Markdown, JSON), the sample grids and the per-recipe reports go
 * @param cacheDir the evaluator's classifier cache
 * @param python the interpreter of the PyTorch reference
 * @param progressEvery steps between progress lines
 */
record StudyConfig(Path data, int steps, List<Recipe> recipes, int threads, int batch, int usableImages, long seed, Path out,
        Path cacheDir, String python, int progressEvery) {

    /** Where the shared Fashion-MNIST copy's labels start belonging to the next image (docs/quality.md). */
    static final int FIRST_SHIFTED_LABEL = 51_660;

    StudyConfig {
        Objects.requireNonNull(data, "data");
        recipes = List.copyOf(recipes);
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(cacheDir, "cacheDir");
        Objects.requireNonNull(python, "python");
        if (steps < 1 || steps > 10_000_000) {
            throw new ConfigException("--steps must be between 1 and 10,000,000, but was " + steps + ".");
        }
        if (threads < 0 || threads > 1024) {
            throw new ConfigException("--threads must be between 0 (the engines' default) and 1024, but was " + threads + ".");
        }
        if (batch < 2 || batch > 4096) {
            throw new ConfigException("--batch must be between 2 and 4096 (BatchNorm needs two images), but was " + batch + ".");
        }
        if (usableImages < batch) {
            throw new ConfigException("--usable-images must be at least one batch (" + batch + "), but was " + usableImages + ".");
        }
        if (progressEvery < 1) {
            throw new ConfigException("--progress-every must be at least 1, but was " + progressEvery + ".");
        }
    }

    /** The study's options, in the order {@code --help} prints them. */
    static ConfigSpec spec() {
        return new ConfigSpec("gan bench quality",
                "Chooses the trainer's defaults by measurement: trains every recipe (seed DCGAN, +EMA, +SN, +EMA+SN, "
                        + "+EMA+conditional, +EMA+replay) and the PyTorch reference in memory on the same seeded order of labelled "
                        + "images for the same number of steps, evaluates each published generator with the full evaluator "
                        + "(10,000 images, with the floor) and writes the table as Markdown and JSON with a sample grid per recipe.")
                .add("data", "../shared/datasets/fashion-mnist", "Labelled real images: a folder holding train-* and t10k-* IDX files "
                        + "(the t10k set is the held-out set), or any form './gan evaluate --real' takes.")
                .add("steps", "1000", "Training steps of every recipe.")
                .add("recipes", "all", "Comma-separated recipes to run, in order: " + Recipe.allIds() + " (or 'all').")
                .add("threads", "0", "Intra-op threads of both engines; 0 keeps their defaults (one per core).")
                .add("batch", "64", "Images per training step.")
                .add("usable-images", Integer.toString(FIRST_SHIFTED_LABEL), "Train on the first this many training images only; the "
                        + "shared Fashion-MNIST copy pairs images with the next image's label from " + FIRST_SHIFTED_LABEL + " on.")
                .add("seed", "42", "Seed of the data order, the initial weights and the training noise.")
                .add("out", "quality-study", "Folder for results.md, results.json, samples/<recipe>.png and reports/<recipe>.json.")
                .add("cache-dir", EvaluationOptions.DEFAULT_CACHE_DIR.toString(), "The evaluator's classifier cache (trained on first use, "
                        + "about 12 minutes on two cores).")
                .add("python", "/usr/bin/python3", "Python interpreter with torch for the PyTorch reference (Debian's python3-torch).")
                .add("progress-every", "50", "Steps between progress lines.");
    }

    /** Reads and validates the values. */
    static StudyConfig from(ConfigValues v) {
        if (!v.positional().isEmpty()) {
            throw new ConfigException("'gan bench quality' takes no arguments besides options, but got " + v.positional()
                    + "; run it with --help to list the options.");
        }
        return new StudyConfig(v.path("data"), v.integer("steps"), Recipe.parseList(v.string("recipes")), v.integer("threads"),
                v.integer("batch"), v.integer("usable-images"), v.longValue("seed"), v.path("out"), v.path("cache-dir"), v.string("python"),
                v.integer("progress-every"));
    }
}
