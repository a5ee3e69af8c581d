package dev.ganpipe.quality;

import dev.ganpipe.common.config.CommandLine;
import dev.ganpipe.common.config.ConfigException;
import dev.ganpipe.common.config.ConfigSpec;
import dev.ganpipe.common.config.ConfigValues;
import dev.ganpipe.common.model.ConfidenceFilter;
import dev.ganpipe.common.model.ModelDirectory;
import dev.ganpipe.images.normalize.ClassList;
import dev.ganpipe.quality.classifier.ClassifierOptions;
import dev.ganpipe.quality.data.LoaderOptions;
import dev.ganpipe.quality.data.RealDataLoader;
import dev.ganpipe.quality.onnx.ConfidentGenerator;
import dev.ganpipe.quality.onnx.OnnxModelGenerator;
import dev.ganpipe.quality.report.ReportFigure;
import dev.ganpipe.quality.report.ReportJson;
import dev.ganpipe.quality.report.ReportTable;
import dev.ganpipe.quality.usefulness.UsefulnessOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * {@code gan evaluate}: measures an ONNX generator against labelled real images and prints the table (or JSON),
 * optionally writing {@code report.txt}, {@code report.json} and {@code report.png} to a folder. Progress goes to
 * standard error, results to standard output.
 */
public final class EvaluateMain {

    /** The command line that runs it. */
    public static final String COMMAND = "gan evaluate";
    /** Exit status when the command ran and printed its report. */
    public static final int OK = 0;
    /** Exit status when the evaluation failed (unreadable model or data, a full disk ...). */
    public static final int FAILED = 1;
    /** Exit status when the command line is wrong. */
    public static final int USAGE = 2;

    /** File names written to {@code --out}. */
    public static final String REPORT_TXT = "report.txt";
    public static final String REPORT_JSON = "report.json";
    public static final String REPORT_PNG = "report.png";

    private EvaluateMain() {
    }

    /** Every option of the command, as {@code --help} prints them. */
    static ConfigSpec spec() {
        EvaluationOptions full = EvaluationOptions.full();
        UsefulnessOptions useful = UsefulnessOptions.defaults();
        return new ConfigSpec(COMMAND, "Measures how good a generator's images are: classifier FID, KID, precision and recall, and class coverage "
                + "of generated against held-out real images, in the feature space of a classifier trained on the real data (cached), "
                + "with the same metrics for real training images as the floor; then whether the images help: the classification accuracy "
                + "score (CAS), augmentation uplift and memorisation.")
                .optional("model", "The generator to evaluate: an ONNX file with input z [N, nz] and output image [N, C, H, W], e.g. "
                        + "models/fashion-dcgan28-v3.onnx. Required.")
                .optional("real", "Labelled real images: an IDX images file, a folder holding IDX files (train-* and t10k-* become the training "
                        + "and held-out sets), a folder with class sub-folders or a labels.csv (train/ and test/ sub-folders split it), a tar "
                        + "archive, or sample:fashion-mnist. Read at the generator's image shape. Required.")
                .optional("held-out", "A separate held-out set (same forms as --real); by default the one --real carries, else a seeded "
                        + "--held-out-fraction of it.")
                .add("count", Integer.toString(full.count()), "Generated images, compared with as many held-out images (capped at the held-out "
                        + "set's size).")
                .add("cache-dir", full.cacheDir().toString(), "Where trained classifiers are kept, keyed by the data set's hash.")
                .optional("out", "A folder to write report.txt, report.json and report.png into.")
                .flag("json", "Print the report as JSON instead of a table.")
                .optional("classes", "Class names in label order, comma-separated (or 'fashion-mnist'); by default taken from the data.")
                .add("held-out-fraction", Double.toString(LoaderOptions.DEFAULT_HELD_OUT_FRACTION), "The share held out when the data has no "
                        + "held-out set of its own.")
                .add("epochs", Integer.toString(ClassifierOptions.DEFAULT_EPOCHS), "Classifier training epochs (a new value trains a new classifier).")
                .add("kid-subsets", Integer.toString(full.kidSubsets()), "KID subsets.")
                .add("kid-subset-size", Integer.toString(full.kidSubsetSize()), "Images per KID subset.")
                .add("neighbours", Integer.toString(full.neighbours()), "k of the k-nearest-neighbour precision and recall.")
                .add("seed", Long.toString(full.seed()), "Seed of the noise, the images compared and the KID subsets.")
                .add("floor", "true", "Also measure real training images against the held-out set (the floor).")
                .add("usefulness", "true", "Also measure whether the images help: CAS, augmentation uplift (conditional generators) and "
                        + "memorisation. Trains " + useful.classifiers() + " small classifiers of --usefulness-steps steps and searches the "
                        + "training set: minutes on two cores (docs/quality.md, \"Do the images help?\", has measured times).")
                .add("cas-images", Integer.toString(useful.casImages()), "N of CAS: generated images the CAS classifier trains on, and real "
                        + "images its reference trains on.")
                .add("usefulness-steps", Integer.toString(useful.steps()), "Optimiser steps of every CAS and uplift classifier (batch "
                        + useful.classifier().batchSize() + "); the cost of each, whatever its set's size.")
                .add("usefulness-test-images", Integer.toString(useful.testImages()), "Held-out real images every CAS and uplift classifier "
                        + "is tested on.")
                .add("uplift-k", String.join(",", useful.upliftPerClass().stream().map(String::valueOf).toList()), "Real images per class "
                        + "of the augmentation uplift runs, comma-separated.")
                .add("uplift-generated", Integer.toString(useful.generatedPerClass()), "Generated images per class added to the k real ones "
                        + "(and the most the cut class is topped up with).")
                .add("uplift-seeds", Integer.toString(useful.seeds()), "Seeds per k; the uplift's spread is over them.")
                .add("imbalanced-class", Integer.toString(useful.imbalancedClass()), "The class cut to 2% of its "
                        + useful.imbalancedPerClass() + " images in the imbalanced case, then topped up with generated images.")
                .optional("min-confidence", "Measure the images min_confidence= serves: keep only images whose shipped classifier gives "
                        + "their requested label at least this probability (0 to below 1, e.g. 0.9), replacing the others from fresh noise, at "
                        + "most " + ConfidenceFilter.MAX_CANDIDATES_PER_IMAGE + " candidates per image as the generator service allows. Every "
                        + "measure then sees the filtered images. Needs a conditional model exported by a trainer run with --quality-data.")
                .add("memorisation-images", Integer.toString(useful.memorisationImages()), "Generated images (and as many held-out ones, "
                        + "to set and check the threshold) searched for their nearest training image.");
    }

    /** Runs the command and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(List.of(args)));
    }

    /**
     * Runs the command with the process environment, printing to standard output and error.
     *
     * @return {@link #OK}, {@link #FAILED} or {@link #USAGE}
     */
    public static int run(List<String> args) {
        return run(args, System.getenv(), System.out, System.err);
    }

    /** Runs the command with the given environment and streams (for tests). */
    static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        CommandLine.Parsed<Request> parsed = CommandLine.of(spec(), COMMAND, USAGE).withIllegalArgumentsAsUsageErrors()
                .withHint("Run '" + COMMAND + " --help' for the options.")
                .parse(args, env, out, err, values -> Request.from(values, err));
        if (parsed.done()) {
            return parsed.exitCode();
        }
        Request request = parsed.value();
        try {
            EvaluationReport report = evaluate(request);
            out.print(request.json() ? ReportJson.render(report) + "\n" : ReportTable.render(report));
            if (request.out().isPresent()) {
                write(report, request.out().get());
                err.println("Wrote " + REPORT_TXT + ", " + REPORT_JSON + " and " + REPORT_PNG + " to " + request.out().get().toAbsolutePath() + ".");
            }
            return OK;
        } catch (IOException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            err.println(COMMAND + ": " + e.getMessage());
            return FAILED;
        }
    }

    /** A parsed command line. */
    private record Request(Path model, String real, Optional<String> heldOut, Optional<List<String>> classes, double heldOutFraction,
            Optional<Path> out, boolean json, EvaluationOptions options, Optional<UsefulnessOptions> usefulness, OptionalDouble minConfidence) {

        static Request from(ConfigValues v, PrintStream err) {
            if (!v.positional().isEmpty()) {
                throw new ConfigException("Unexpected argument(s) " + v.positional() + "; give the model with --model and the data with --real.");
            }
            Path model = v.path("model");
            String real = v.string("real");
            Optional<List<String>> classes = v.optional("classes").map(EvaluateMain::classNames);
            EvaluationOptions options = EvaluationOptions.full()
                    .withCount(v.integer("count"))
                    .withCacheDir(v.path("cache-dir"))
                    .withKid(v.integer("kid-subsets"), v.integer("kid-subset-size"))
                    .withNeighbours(v.integer("neighbours"))
                    .withSeed(v.longValue("seed"))
                    .withFloor(v.bool("floor"))
                    .withClassifier(ClassifierOptions.defaults().withEpochs(v.integer("epochs")))
                    .withProgress(err::println);
            double fraction = v.decimal("held-out-fraction");
            if (!(fraction > 0 && fraction < 1)) {
                throw new ConfigException("Option --held-out-fraction must be above 0 and below 1 (e.g. 0.2), but was " + fraction + ".");
            }
            Optional<UsefulnessOptions> usefulness = v.bool("usefulness") ? Optional.of(usefulness(v, options)) : Optional.empty();
            OptionalDouble minConfidence = v.optional("min-confidence").map(EvaluateMain::threshold)
                    .map(OptionalDouble::of).orElse(OptionalDouble.empty());
            return new Request(model, real, v.optional("held-out"), classes, fraction, v.optional("out").map(Path::of), v.bool("json"), options,
                    usefulness, minConfidence);
        }

        private static UsefulnessOptions usefulness(ConfigValues v, EvaluationOptions options) {
            UsefulnessOptions defaults = UsefulnessOptions.defaults();
            List<Integer> k;
            try {
                k = Arrays.stream(v.string("uplift-k").split(",")).map(String::strip).filter(t -> !t.isEmpty()).map(Integer::valueOf).toList();
            } catch (NumberFormatException e) {
                throw new ConfigException("Option --uplift-k takes whole numbers separated by commas (e.g. 10,50,100), but was '"
                        + v.string("uplift-k") + "'.");
            }
            return defaults.withCasImages(v.integer("cas-images"))
                    .withSteps(v.integer("usefulness-steps"))
                    .withTestImages(v.integer("usefulness-test-images"))
                    .withUplift(k, v.integer("uplift-generated"), v.integer("uplift-seeds"))
                    .withImbalanced(v.integer("imbalanced-class"), defaults.imbalancedPerClass(), defaults.imbalancedShare())
                    .withMemorisationImages(v.integer("memorisation-images"))
                    .withClassifier(options.classifier())
                    .withSeed(options.seed());
        }
    }

    private static double threshold(String text) {
        try {
            return ConfidenceFilter.requireThreshold(Double.parseDouble(text.strip()), "Option --min-confidence");
        } catch (NumberFormatException e) {
            throw new ConfigException("Option --min-confidence must be a probability from 0 to below 1 (e.g. 0.9), but was '" + text + "'.");
        }
    }

    private static List<String> classNames(String text) {
        String t = text.strip();
        String list = t.equalsIgnoreCase("fashion-mnist") ? ClassList.FASHION_MNIST : t;
        return Arrays.stream(list.split(",")).map(String::strip).toList();
    }

    private static EvaluationReport evaluate(Request request) throws IOException {
        EvaluationOptions options = request.options();
        try (OnnxModelGenerator model = OnnxModelGenerator.load(request.model())) {
            options.progress().report(String.format(Locale.ROOT, "Loaded %s: %s images from %d noise values%s.", model.description(),
                    model.shape(), model.noiseDim(), model.conditional() ? ", conditional" : ""));
            Optional<ConfidentGenerator> filtered = request.minConfidence().isPresent()
                    ? Optional.of(new ConfidentGenerator(model, request.minConfidence().getAsDouble(), options.seed()))
                    : Optional.empty();
            Generator generator = filtered.<Generator>map(g -> g).orElse(model);
            LoaderOptions loading = new LoaderOptions(generator.shape(), request.classes(), request.heldOutFraction(), options.seed());
            RealDataLoader.Split split = RealDataLoader.load(request.real(), request.heldOut(), loading, options.progress());
            options.progress().report("Training set: " + split.train().count() + " images; held-out set: " + split.heldOut().count()
                    + " images (" + (split.heldOutFrom().isEmpty() ? "given" : split.heldOutFrom()) + "); classes " + split.train().classNames() + ".");
            EvaluationReport report = request.usefulness().isPresent()
                    ? Evaluator.evaluate(generator, split.train(), split.heldOut(), options, request.usefulness().get())
                    : Evaluator.evaluate(generator, split.train(), split.heldOut(), options);
            filtered.ifPresent(g -> options.progress().report("Filter: " + g.acceptance().describe(split.train().classNames()) + "."));
            return report;
        }
    }

    private static void write(EvaluationReport report, Path folder) {
        try {
            Files.createDirectories(folder);
            ModelDirectory.atomicWrite(folder.resolve(REPORT_TXT), ReportTable.render(report).getBytes(StandardCharsets.UTF_8));
            ModelDirectory.atomicWrite(folder.resolve(REPORT_JSON), (ReportJson.render(report) + "\n").getBytes(StandardCharsets.UTF_8));
            ModelDirectory.atomicWrite(folder.resolve(REPORT_PNG), ReportFigure.png(report));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the report to " + folder.toAbsolutePath() + "; check that --out names a writable folder.", e);
        }
    }
}
