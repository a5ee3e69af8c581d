package dev.ganpipe.bench.quality;

import dev.ganpipe.common.config.CommandLine;
import dev.ganpipe.common.host.Host;
import dev.ganpipe.common.image.CanonicalImage;
import dev.ganpipe.common.image.ImageGrid;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.image.ModelPixels;
import dev.ganpipe.common.image.Png;
import dev.ganpipe.common.model.ModelDirectory;
import dev.ganpipe.common.model.Noise;
import dev.ganpipe.images.source.SampleData;
import dev.ganpipe.quality.EvaluationOptions;
import dev.ganpipe.quality.EvaluationReport;
import dev.ganpipe.quality.Evaluator;
import dev.ganpipe.quality.Generator;
import dev.ganpipe.quality.QualityMetrics;
import dev.ganpipe.quality.data.LoaderOptions;
import dev.ganpipe.quality.data.RealDataLoader;
import dev.ganpipe.quality.onnx.OnnxModelGenerator;
import dev.ganpipe.quality.report.ReportFigure;
import dev.ganpipe.quality.report.ReportJson;
import dev.ganpipe.trainer.data.BatchAssembler;
import dev.ganpipe.trainer.data.TrainingBatch;
import dev.ganpipe.trainer.gan.GanConfig;
import dev.ganpipe.trainer.gan.GanTrainingCore;
import dev.ganpipe.trainer.gan.StepResult;
import dev.ganpipe.trainer.quality.CoreGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * {@code ./gan bench quality}: trains every recipe for the same steps on the same images in the same order, measures
 * each published generator with the full evaluator, and writes the table. Recipes run one after another on this
 * thread (DJL allows one gradient collector per process); the PyTorch reference runs as a child process.
 */
public final class QualityStudy {

    /** Images in a sample grid: 8 x 8. */
    static final int GRID_IMAGES = 64;

    /** A rough evaluation time on two busy cores, for the ETA only. */
    private static final double EVALUATION_SECONDS_GUESS = 90;

    private final StudyConfig config;
    private final PrintStream out;
    private final PrintStream log;
    private final LongSupplier trainingClock;
    private final List<StudyResult> results = new ArrayList<>();

    private QualityStudy(StudyConfig config, PrintStream out, PrintStream log, LongSupplier trainingClock) {
        this.config = config;
        this.out = out;
        this.log = log;
        this.trainingClock = trainingClock;
    }

    /** Runs the study with these command-line arguments (a {@link dev.ganpipe.bench.Bench}); the table goes to {@code out}, progress to {@code log}. */
    public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream log) {
        return run(args, env, out, log, System::nanoTime);
    }

    /**
     * As {@link #run(List, Map, PrintStream, PrintStream)}, with the equal-time mode's trainer recipes timed by
     * {@code trainingClock} (nanoseconds), so a test can fix where their measuring points fall.
     */
    static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream log, LongSupplier trainingClock) {
        CommandLine.Parsed<StudyConfig> parsed = CommandLine.of(StudyConfig.spec(), "gan", 2).parse(args, env, out, log, StudyConfig::from);
        if (parsed.done()) {
            return parsed.exitCode();
        }
        StudyConfig config = parsed.value();
        try {
            new QualityStudy(config, out, log, trainingClock).execute();
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.println("gan: the quality study was interrupted.");
            return 1;
        } catch (IOException | RuntimeException e) {
            e.printStackTrace(log);
            log.println("gan: the quality study failed: " + e.getMessage() + " (the stack trace above says where).");
            return 1;
        }
    }

    private void execute() throws IOException, InterruptedException {
        String startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String loadBefore = Host.loadAverage();
        Files.createDirectories(config.out().resolve("samples"));
        if (!config.equalSteps() && !config.equalTime()) {
            Files.createDirectories(config.out().resolve("reports"));
        }
        EvaluationOptions options = EvaluationOptions.full().withCacheDir(config.cacheDir()).withProgress(line -> log.println("  quality: " + line));
        LoaderOptions loading = new LoaderOptions(config.imageShape(), Optional.empty(), LoaderOptions.DEFAULT_HELD_OUT_FRACTION,
                options.seed());
        String location = dataLocation(config.data(), log);
        boolean sample = location.equals(SampleData.FASHION_MNIST);
        RealDataLoader.Split split = RealDataLoader.load(location, Optional.empty(), loading, options.progress());
        int usable = config.usableImages() == StudyConfig.ALL_IMAGES ? split.train().count() : config.usableImages();
        if (sample && usable > split.train().count()) {
            // a count meant for Fashion-MNIST: the sample is trained on whole
            usable = split.train().count();
        }
        log.printf(Locale.ROOT, "Training set %d images (the first %d trained on), held-out set %d images, classes %s; load average %s.%n",
                split.train().count(), usable, split.heldOut().count(), split.train().classNames(), loadBefore);
        String dataLabel = (sample ? location + " (the bundled " + SampleData.FASHION_MNIST_COUNT + "-image sample: a try-out, not figures "
                + "to compare; pass --data with Fashion-MNIST)" : config.data().toString()) + " (held out: " + split.heldOutFrom() + ")";
        if (config.evalCount() != options.count()) {
            options = options.withCount(config.evalCount()).withKid(options.kidSubsets(), Math.min(options.kidSubsetSize(), config.evalCount() / 2));
        }
        if (config.equalTime()) {
            int trainedOn = usable; // an effectively final copy for the table context below
            StudyData timed = StudyData.forTime(split.train(), trainedOn, config.minutes() * 60, config.batch(), config.seed());
            int evaluated = Math.min(options.count(), split.heldOut().count()); // as many as the evaluator uses
            try (Evaluator evaluator = Evaluator.prepare(split.train(), split.heldOut(), options);
                    Evaluator inTraining = Evaluator.prepare(evaluator.classifier(), split.train(), split.heldOut(),
                            EvaluationOptions.inTraining().withFloor(false))) {
                new EqualTimeStudy(config, out, log, trainingClock).execute(timed, evaluator, inTraining, () -> new StudyTable.Context(startedAt, machine(),
                        loadBefore, Host.loadAverage(), dataLabel, trainedOn, config.batch(), config.timedThreads(),
                        evaluator.heldOutAccuracy(), evaluated));
            }
            out.printf(Locale.ROOT, "%nLoad average %s at the start, %s at the end; %d intra-op threads per engine. Wrote equal-time.md, "
                    + "equal-time.json and samples/ to %s.%n", loadBefore, Host.loadAverage(), config.timedThreads(),
                    config.out().toAbsolutePath());
            return;
        }
        StudyData data = StudyData.of(split.train(), usable, Math.multiplyExact(config.steps(), config.batch()), config.seed());
        if (config.equalSteps()) {
            boolean beside = config.recipes().stream().anyMatch(Recipe::pytorch) && config.recipes().stream().anyMatch(r -> !r.pytorch());
            int threads = EqualStepStudy.threadsBesidePyTorch(config.threads(), beside);
            boolean several = config.seeds().size() > 1;
            Map<Long, List<EqualStepStudy.Point>> bySeed = new LinkedHashMap<>();
            for (long seed : config.seeds()) {
                StudyConfig one = several ? config.forSeed(seed, config.out().resolve("seed-" + seed)) : config;
                if (several) {
                    Files.createDirectories(one.out().resolve("samples"));
                    log.printf(Locale.ROOT, "==== seed %d (%d of %d) ====%n", seed, bySeed.size() + 1, config.seeds().size());
                }
                StudyData seeded = several ? StudyData.of(split.train(), usable, Math.multiplyExact(config.steps(), config.batch()), seed) : data;
                EqualStepStudy study = new EqualStepStudy(one, out, log, several ? "_seed_" + seed : "");
                // The PyTorch children start first: they train while the evaluator's classifier is trained or loaded.
                var pytorch = study.startPyTorch(seeded, threads);
                try (Evaluator evaluator = Evaluator.prepare(split.train(), split.heldOut(), options);
                        Evaluator inTraining = Evaluator.prepare(evaluator.classifier(), split.train(), split.heldOut(),
                                EvaluationOptions.inTraining().withFloor(false))) {
                    study.execute(seeded, evaluator, inTraining, threads, pytorch);
                }
                bySeed.put(seed, study.points());
            }
            if (several) {
                out.println();
                EqualStepTable.medianRatioLines(bySeed, config.at()).forEach(out::println);
            }
            out.printf(Locale.ROOT, "%nLoad average %s at the start, %s at the end; %d intra-op threads per engine. Wrote equal-steps.md and "
                    + "equal-steps.json to %s%s.%n", loadBefore, Host.loadAverage(), threads, config.out().toAbsolutePath(),
                    several ? " (one seed-<n> folder per seed)" : "");
            return;
        }
        try (Evaluator evaluator = Evaluator.prepare(split.train(), split.heldOut(), options)) {
            QualityMetrics floor = evaluator.floor();
            for (Recipe recipe : config.recipes()) {
                log.printf(Locale.ROOT, "== %s: %d steps (recipe %d of %d) ==%n", recipe.title(), config.steps(), results.size() + 1,
                        config.recipes().size());
                StudyResult result = recipe.pytorch() ? runPyTorch(recipe, data, evaluator) : runTrainer(recipe, data, evaluator);
                results.add(result);
                StudyTable.Context context = new StudyTable.Context(startedAt, machine(), loadBefore, Host.loadAverage(),
                        dataLabel, data.usable(), config.batch(), config.threads(),
                        evaluator.heldOutAccuracy(), Math.min(options.count(), split.heldOut().count())); // as many as the evaluator uses
                // Written after every recipe, so a study cut short keeps what it measured.
                write("results.md", StudyTable.document(context, results, floor));
                write("results.json", StudyTable.json(context, results, floor) + "\n");
                log.printf(Locale.ROOT, "%s: FID %.2f, KID %.4f, precision %.3f, recall %.3f, %d/%d classes (train %.0f s, evaluation %.0f s).%n",
                        recipe.title(), result.metrics().fid(), result.metrics().kid(), result.metrics().precision(), result.metrics().recall(),
                        result.metrics().coverage().covered(), result.metrics().coverage().classes(), result.trainSeconds(),
                        result.evaluationSeconds());
            }
            out.println();
            out.print(StudyTable.markdown(results, floor));
            out.printf(Locale.ROOT, "%nLoad average %s at the start, %s at the end. Wrote results.md, results.json, samples/ and reports/ to %s.%n",
                    loadBefore, Host.loadAverage(), config.out().toAbsolutePath());
        }
    }

    private StudyResult runTrainer(Recipe recipe, StudyData data, Evaluator evaluator) throws InterruptedException, IOException {
        ImageShape shape = data.train().shape();
        GanConfig gan = recipe.configure(GanConfig.dcgan28().withSeed(config.seed()).withThreads(config.threads()), data.train().classCount());
        try (GanTrainingCore core = new GanTrainingCore(gan)) {
            long imagesSeen = 0;
            BatchAssembler batches = data.batches(recipe, config.batch(), gan.seed());
            long started = System.nanoTime();
            for (int s = 1; s <= config.steps(); s++) {
                TrainingBatch batch = batches.next(Duration.ZERO).orElseThrow(() -> new IllegalStateException(
                        "The study's image order ran dry before " + config.steps() + " steps; this is a bug in StudyData."));
                imagesSeen += batch.fresh();
                core.augmentFor(imagesSeen); // --augment auto: as the trainer, by the distinct images seen so far
                StepResult step = core.trainStep(batch.pixels(), gan.conditional() ? batch.labels() : null, batch.size());
                progress(recipe, s, started, String.format(Locale.ROOT, "D loss %.3f, G loss %.3f", step.dLoss(), step.gLoss()));
            }
            double trainSeconds = (System.nanoTime() - started) / 1e9;
            Generator generator = new CoreGenerator(core, shape, recipe.id() + " after " + config.steps() + " steps");
            return measure(recipe, trainSeconds, generator, evaluator);
        }
    }

    /** The data to study: {@code data} when it exists, else the bundled sample, so the study runs on a fresh clone (said on the log). */
    private static String dataLocation(Path data, PrintStream log) {
        if (data.toString().equals(SampleData.FASHION_MNIST) || Files.exists(data)) {
            return data.toString();
        }
        log.println("Note: " + data.toAbsolutePath() + " does not exist, so the study runs on the bundled " + SampleData.FASHION_MNIST_COUNT
                + "-image sample (" + SampleData.FASHION_MNIST + ") instead: enough to try it, too few for figures worth comparing. "
                + "Pass --data with the Fashion-MNIST folder (train-* and t10k-* IDX files) for those.");
        return SampleData.FASHION_MNIST;
    }

    private StudyResult runPyTorch(Recipe recipe, StudyData data, Evaluator evaluator) throws IOException, InterruptedException {
        try (PyTorchStudyRun run = PyTorchStudyRun.prepare()) {
            GanConfig gan = GanConfig.dcgan28();
            PyTorchStudyRun.Outcome outcome = run.train(config.python(), data, data.usable(), config.steps(), config.batch(),
                    config.threads(), gan.generatorWidth(), gan.noiseDim(), recipe.emaDecay(), config.seed(), config.progressEvery(), log);
            log.printf(Locale.ROOT, "PyTorch %s (%d threads) trained %d steps in %.0f s.%n", outcome.torchVersion(), outcome.threads(),
                    config.steps(), outcome.seconds());
            try (OnnxModelGenerator generator = OnnxModelGenerator.load(outcome.onnx())) {
                return measure(recipe, outcome.seconds(), generator, evaluator);
            }
        }
    }

    private StudyResult measure(Recipe recipe, double trainSeconds, Generator generator, Evaluator evaluator) throws IOException {
        EvaluationReport report = evaluator.evaluate(generator);
        write("reports/" + recipe.id() + ".json", ReportJson.render(report) + "\n");
        ModelDirectory.atomicWrite(config.out().resolve("reports/" + recipe.id() + ".png"), ReportFigure.png(report));
        String samples = "samples/" + recipe.id() + ".png";
        ModelDirectory.atomicWrite(config.out().resolve(samples), sampleGrid(generator, evaluator.options().seed(), evaluator.classifier().classNames().size()));
        return new StudyResult(recipe, config.steps(), trainSeconds, report.seconds(), report.generated(), samples);
    }

    /**
     * An 8 x 8 grid from the first {@value #GRID_IMAGES} noise vectors the evaluator uses; a conditional generator is
     * asked for classes 0, 1, 2 ... in turn, as the evaluator asks.
     */
    static byte[] sampleGrid(Generator generator, long seed, int classes) {
        float[] z = Noise.gaussian(seed, GRID_IMAGES, generator.noiseDim());
        float[] images;
        if (generator.conditional()) {
            int[] labels = new int[GRID_IMAGES];
            Arrays.setAll(labels, i -> i % classes);
            images = generator.generate(z, labels, GRID_IMAGES);
        } else {
            images = generator.generate(z, GRID_IMAGES);
        }
        List<CanonicalImage> tiles = new ArrayList<>(GRID_IMAGES);
        for (int i = 0; i < GRID_IMAGES; i++) {
            tiles.add(ModelPixels.fromModelOutput(images, i * generator.shape().values(), generator.shape()));
        }
        return Png.encode(ImageGrid.compose(tiles, 8, 2, 0));
    }

    private void progress(Recipe recipe, int step, long startedNanos, String detail) {
        if (step % config.progressEvery() != 0 && step != config.steps()) {
            return;
        }
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        double rate = step / seconds;
        int recipesLeft = config.recipes().size() - results.size() - 1;
        double recipeEta = (config.steps() - step) / rate;
        double studyEta = recipeEta + recipesLeft * (config.steps() / rate) + (recipesLeft + 1) * EVALUATION_SECONDS_GUESS;
        log.printf(Locale.ROOT, "%s step %d/%d: %.2f steps/s, recipe ETA %.0f s, study ETA %.0f min (about %s UTC); %s.%n",
                recipe.id(), step, config.steps(), rate, recipeEta, studyEta / 60,
                LocalTime.now(ZoneOffset.UTC).plusSeconds((long) studyEta).truncatedTo(ChronoUnit.MINUTES), detail);
    }

    private void write(String relative, String text) throws IOException {
        ModelDirectory.atomicWrite(config.out().resolve(relative), text.getBytes(StandardCharsets.UTF_8));
    }

    private static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores (" + Host.cpuModel() + ")";
    }
}
