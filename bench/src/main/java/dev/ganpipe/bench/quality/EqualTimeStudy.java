package dev.ganpipe.bench.quality;

import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.model.ModelDirectory;
import dev.ganpipe.quality.EvaluationReport;
import dev.ganpipe.quality.Evaluator;
import dev.ganpipe.quality.Generator;
import dev.ganpipe.quality.QualityMetrics;
import dev.ganpipe.quality.onnx.OnnxModelGenerator;
import dev.ganpipe.trainer.data.BatchAssembler;
import dev.ganpipe.trainer.data.TrainingBatch;
import dev.ganpipe.trainer.gan.GanConfig;
import dev.ganpipe.trainer.gan.GanTrainingCore;
import dev.ganpipe.trainer.gan.StepResult;
import dev.ganpipe.trainer.quality.CoreGenerator;
import dev.ganpipe.trainer.loop.ModelRelease;
import dev.ganpipe.trainer.quality.WeightsChoice;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The equal-time mode of {@code ./gan bench quality --minutes 12}: each recipe trains alone, one after another, for the
 * same minutes of training wall time on the same machine, since time to quality is what a user waits for. Every
 * {@code --measure-every-minutes} the trainer's own in-training evaluator (1,000 images, as {@code ./gan trainer}
 * measures) scores the published generator, with the training clock paused; at the end the full evaluator scores it.
 *
 * <p>The trainer's recipes train here through {@link GanTrainingCore} (a pipeline recipe chooses between its weight
 * average and live generator at each measurement, as the trainer does: {@link WeightsChoice}); the PyTorch recipes train
 * in a child process that exports its generator to ONNX at each measuring point, measured here once it has finished.
 * Unlike the equal-step mode, figures depend on the machine and its load: run it on a quiet machine.
 */
final class EqualTimeStudy {

    /** A rough full evaluation on two cores, for the ETA only. */
    private static final double EVALUATION_SECONDS_GUESS = 90;
    /** A rough in-training measurement on two cores (two for a recipe that chooses its weights), for the ETA only. */
    private static final double MEASUREMENT_SECONDS_GUESS = 10;

    private final StudyConfig config;
    private final PrintStream out;
    private final PrintStream log;
    private final LongSupplier nanoTime;
    private final List<TimedRun> runs = new ArrayList<>();

    /** {@code nanoTime} times the trainer's recipes ({@code System::nanoTime}); the PyTorch child keeps its own clock. */
    EqualTimeStudy(StudyConfig config, PrintStream out, PrintStream log, LongSupplier nanoTime) {
        this.config = config;
        this.out = out;
        this.log = log;
        this.nanoTime = nanoTime;
    }

    /**
     * Minutes of training at which a recipe is measured: every {@code every} minutes, and at {@code minutes}, the end
     * (once, when it falls on a multiple).
     */
    static List<Double> measuringMinutes(double minutes, double every) {
        List<Double> marks = new ArrayList<>();
        for (int k = 1; k * every < minutes * (1 - 1e-9); k++) {
            marks.add(k * every);
        }
        marks.add(minutes);
        return marks;
    }

    /**
     * Trains and measures every recipe in turn, rewriting {@code equal-time.md} and {@code equal-time.json} after each
     * (so a run cut short keeps what it measured), then prints the table, the curves and the ratio lines.
     */
    void execute(StudyData data, Evaluator evaluator, Evaluator inTraining, Supplier<StudyTable.Context> context)
            throws IOException, InterruptedException {
        for (Recipe recipe : config.recipes()) {
            log.printf(Locale.ROOT, "== %s: %s minutes of training alone, %d threads, measured every %s minutes (recipe %d of %d) ==%n",
                    recipe.title(), EqualTimeTable.number(config.minutes()), config.timedThreads(),
                    EqualTimeTable.number(config.measureEveryMinutes()), runs.size() + 1, config.recipes().size());
            TimedRun run = recipe.pytorch() ? runPyTorch(recipe, data, evaluator, inTraining) : runTrainer(recipe, data, evaluator, inTraining);
            runs.add(run);
            log.printf(Locale.ROOT, "%s: %,d steps in %.1f min (%.2f steps/s); FID %.2f, KID %.4f, precision %.3f, recall %.3f; %s.%n",
                    recipe.id(), run.steps(), run.trainSeconds() / 60, run.stepsPerSecond(), run.full().fid(), run.full().kid(),
                    run.full().precision(), run.full().recall(), run.minutesTo(config.fidThreshold()).isPresent()
                            ? String.format(Locale.ROOT, "FID_1000 <= %s after %.2f min", EqualTimeTable.number(config.fidThreshold()),
                                    run.minutesTo(config.fidThreshold()).getAsDouble())
                            : "FID_1000 <= " + EqualTimeTable.number(config.fidThreshold()) + " not reached");
            StudyTable.Context now = context.get();
            write("equal-time.md", EqualTimeTable.document(now, runs, config.minutes(), config.measureEveryMinutes(),
                    config.fidThreshold(), evaluator.floor()));
            write("equal-time.json", EqualTimeTable.json(now, runs, config.minutes(), config.measureEveryMinutes(),
                    config.fidThreshold(), evaluator.floor()) + "\n");
        }
        out.println();
        out.print(EqualTimeTable.markdown(runs, config.minutes(), config.fidThreshold(), evaluator.floor()));
        out.println();
        out.print(EqualTimeTable.curve(runs));
        out.println();
        EqualTimeTable.ratioLines(runs, config.minutes(), config.fidThreshold()).forEach(out::println);
    }

    /** What was measured so far. */
    List<TimedRun> runs() {
        return List.copyOf(runs);
    }

    private TimedRun runTrainer(Recipe recipe, StudyData data, Evaluator evaluator, Evaluator inTraining)
            throws IOException, InterruptedException {
        ImageShape shape = data.train().shape();
        GanConfig gan = recipe.configure(config.network().withSeed(config.seed()).withThreads(config.timedThreads()),
                data.train().classCount());
        List<Double> marks = measuringMinutes(config.minutes(), config.measureEveryMinutes());
        long limit = nanos(marks.getLast());
        List<TimedRun.Point> curve = new ArrayList<>();
        try (GanTrainingCore core = new GanTrainingCore(gan)) {
            long imagesSeen = 0;
            BatchAssembler batches = data.batches(recipe, config.batch(), gan.seed());
            long trainingNanos = 0;
            int s = 0;
            int mark = 0;
            while (trainingNanos < limit) {
                long t0 = nanoTime.getAsLong();
                TrainingBatch batch = batches.next(Duration.ZERO).orElseThrow(() -> new IllegalStateException(
                        "The study's images ran dry in the equal-time mode; this is a bug in StudyData.forTime."));
                imagesSeen += batch.fresh();
                core.augmentFor(imagesSeen); // --augment auto: as the trainer, by the distinct images seen so far
                StepResult step = core.trainStep(batch.pixels(), gan.conditional() ? batch.labels() : null, batch.size());
                trainingNanos += nanoTime.getAsLong() - t0;
                s++;
                if (s % config.progressEvery() == 0) {
                    progress(recipe, s, trainingNanos, marks.size() - mark, String.format(Locale.ROOT, "D loss %.3f, G loss %.3f",
                            step.dLoss(), step.gLoss()));
                }
                if (trainingNanos >= nanos(marks.get(mark))) {
                    while (mark < marks.size() && trainingNanos >= nanos(marks.get(mark))) {
                        mark++; // a step longer than the interval passes several marks: one measurement stands for them
                    }
                    curve.add(point(recipe, trainingNanos / 1e9, s, measure(recipe, core, shape, inTraining, s)));
                }
            }
            Generator generator = new CoreGenerator(core, shape, recipe.id() + " after " + EqualTimeTable.number(config.minutes())
                    + " minutes (" + s + " steps)");
            TimedRun result = finish(recipe, s, trainingNanos / 1e9, curve, generator, evaluator);
            // The generator the figures describe, as the trainer would export it, for ./gan evaluate's further measures.
            ModelDirectory.atomicWrite(modelFile(recipe), core.exportGeneratorOnnx(ModelRelease.metadata(gan, shape,
                    data.train().classNames(), s, "ganpipe-bench-quality")));
            return result;
        }
    }

    /** The in-training figure of the published generator; a pipeline recipe first chooses it, as the trainer does. */
    private static QualityMetrics measure(Recipe recipe, GanTrainingCore core, ImageShape shape, Evaluator inTraining, int step) {
        if (recipe.choosesWeights() && core.averaged()) {
            return WeightsChoice.choose(inTraining, core, shape).report().generated();
        }
        return inTraining.evaluate(new CoreGenerator(core, shape, recipe.id() + " after " + step + " steps")).generated();
    }

    private TimedRun runPyTorch(Recipe recipe, StudyData data, Evaluator evaluator, Evaluator inTraining)
            throws IOException, InterruptedException {
        try (PyTorchStudyRun run = PyTorchStudyRun.prepare()) {
            GanConfig gan = config.network();
            PyTorchStudyRun.Outcome outcome = run.trainFor(config.python(), data, config.minutes() * 60, config.measureEveryMinutes() * 60,
                    config.arch(), config.batch(), config.timedThreads(), gan.generatorWidth(), gan.noiseDim(), recipe.emaDecay(),
                    config.seed(), config.progressEvery(), log);
            if (outcome.exported().isEmpty()) {
                throw new IllegalStateException("The PyTorch recipe " + recipe.id() + " exported no generator; its messages above say why.");
            }
            log.printf(Locale.ROOT, "PyTorch %s (%d threads) trained %,d steps in %.1f min; measuring its %d exports.%n",
                    outcome.torchVersion(), outcome.threads(), outcome.exported().lastKey(), outcome.seconds() / 60, outcome.exported().size());
            List<TimedRun.Point> curve = new ArrayList<>();
            for (Map.Entry<Integer, Path> export : outcome.exported().entrySet()) {
                double seconds = outcome.exportedSeconds().getOrDefault(export.getKey(), Double.NaN);
                try (OnnxModelGenerator generator = OnnxModelGenerator.load(export.getValue())) {
                    curve.add(point(recipe, seconds, export.getKey(), inTraining.evaluate(generator).generated()));
                }
            }
            Path last = outcome.exported().get(outcome.exported().lastKey());
            TimedRun result;
            try (OnnxModelGenerator generator = OnnxModelGenerator.load(last)) {
                result = finish(recipe, outcome.exported().lastKey(), outcome.seconds(), curve, generator, evaluator);
            }
            Files.copy(last, modelFile(recipe), StandardCopyOption.REPLACE_EXISTING); // the child's folder goes when the run closes
            return result;
        }
    }

    private TimedRun.Point point(Recipe recipe, double trainSeconds, int step, QualityMetrics metrics) {
        log.printf(Locale.ROOT, "%s at %.2f min (step %,d): FID_1000 %.2f, KID %.4f, precision %.3f, recall %.3f.%n", recipe.id(),
                trainSeconds / 60, step, metrics.fid(), metrics.kid(), metrics.precision(), metrics.recall());
        return new TimedRun.Point(trainSeconds, step, metrics);
    }

    /** The full evaluation of the published generator at the end, and its sample grid. */
    private TimedRun finish(Recipe recipe, int steps, double trainSeconds, List<TimedRun.Point> curve, Generator generator,
            Evaluator evaluator) throws IOException {
        EvaluationReport report = evaluator.evaluate(generator);
        String samples = "samples/" + recipe.id() + ".png";
        ModelDirectory.atomicWrite(config.out().resolve(samples), QualityStudy.sampleGrid(generator, evaluator.options().seed(),
                evaluator.classifier().classNames().size()));
        log.printf(Locale.ROOT, "%s: full evaluation in %.0f s.%n", recipe.id(), report.seconds());
        return new TimedRun(recipe, steps, trainSeconds, curve, report.generated(), samples);
    }

    private void progress(Recipe recipe, int step, long trainingNanos, int measurementsLeft, String detail) {
        double seconds = trainingNanos / 1e9;
        double recipeEta = Math.max(0, config.minutes() * 60 - seconds);
        int recipesLeft = config.recipes().size() - runs.size() - 1;
        double studyEta = recipeEta + recipesLeft * config.minutes() * 60
                + (measurementsLeft + recipesLeft * measuringMinutes(config.minutes(), config.measureEveryMinutes()).size())
                        * MEASUREMENT_SECONDS_GUESS
                + (recipesLeft + 1) * EVALUATION_SECONDS_GUESS;
        log.printf(Locale.ROOT, "%s %.2f/%s min, step %d: %.2f steps/s, recipe ETA %.0f s, study ETA %.0f min (about %s UTC); %s.%n",
                recipe.id(), seconds / 60, EqualTimeTable.number(config.minutes()), step, step / seconds, recipeEta, studyEta / 60,
                LocalTime.now(ZoneOffset.UTC).plusSeconds((long) studyEta).truncatedTo(ChronoUnit.MINUTES), detail);
    }

    /** {@code models/<recipe>.onnx} in the output folder: each recipe's final generator, kept for {@code ./gan evaluate}. */
    private Path modelFile(Recipe recipe) throws IOException {
        return Files.createDirectories(config.out().resolve("models")).resolve(recipe.id() + ".onnx");
    }

    private static long nanos(double minutes) {
        return Math.round(minutes * 60e9);
    }

    private void write(String relative, String text) throws IOException {
        ModelDirectory.atomicWrite(config.out().resolve(relative), text.getBytes(StandardCharsets.UTF_8));
    }
}
