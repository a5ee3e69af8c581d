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
import dev.ganpipe.trainer.gan.GeneratorWeights;
import dev.ganpipe.trainer.gan.StepResult;
import dev.ganpipe.trainer.quality.CoreGenerator;
import dev.ganpipe.trainer.quality.WeightsChoice;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The equal-step mode of {@code ./gan bench quality --at 1000,3000,7000}: every recipe trains on the same images in the
 * same order, and the same evaluator measures each one's published generator after the same steps, so the curves of
 * FID against step compare what each side learns per step, whatever either side's speed.
 *
 * <p>The PyTorch recipes train in child processes <em>while</em> the trainer's recipes train here (and while the
 * evaluator's classifier is prepared), exporting their generator to ONNX at each measuring point; they are measured
 * once they finish. The trainer's recipes are measured in place between steps, through the same inference path an
 * export takes ({@link CoreGenerator}); the pipeline recipes first choose between their weight average and live
 * generator as the trainer does ({@link WeightsChoice}), and the figure is the chosen one's. Training and evaluation are deterministic, so the figures do not depend on the
 * machine's load; only the wall times do.
 */
final class EqualStepStudy {

    /**
     * One measurement.
     *
     * @param recipe what was trained
     * @param step after how many steps
     * @param metrics the evaluator's figures
     */
    record Point(Recipe recipe, int step, QualityMetrics metrics) {
    }

    private final StudyConfig config;
    private final PrintStream out;
    private final PrintStream log;
    private final List<Point> points = new ArrayList<>();
    /** What the weight average adds: the live generator's FID beside the average's, per EMA recipe and step. */
    private final List<String> averageLines = new ArrayList<>();
    private final Map<Recipe, Double> trainSeconds = new LinkedHashMap<>();

    private final String ratioSuffix;

    EqualStepStudy(StudyConfig config, PrintStream out, PrintStream log) {
        this(config, out, log, "");
    }

    /** One seed of several: its ratio lines end in {@code ratioSuffix}, so the headline stays the median's. */
    EqualStepStudy(StudyConfig config, PrintStream out, PrintStream log, String ratioSuffix) {
        this.config = config;
        this.out = out;
        this.log = log;
        this.ratioSuffix = ratioSuffix;
    }

    /** Every measurement so far. */
    List<Point> points() {
        return List.copyOf(points);
    }

    /** The PyTorch recipes, started now in child processes; each future completes with its exported generators. */
    Map<Recipe, CompletableFuture<PyTorchTraining>> startPyTorch(StudyData data, int threads) throws IOException {
        Map<Recipe, CompletableFuture<PyTorchTraining>> started = new LinkedHashMap<>();
        for (Recipe recipe : config.recipes()) {
            if (!recipe.pytorch()) {
                continue;
            }
            PyTorchStudyRun run = PyTorchStudyRun.prepare();
            CompletableFuture<PyTorchTraining> future = new CompletableFuture<>();
            Thread.ofPlatform().name("study-" + recipe.id()).daemon(true).start(() -> {
                try {
                    GanConfig gan = GanConfig.dcgan28();
                    PyTorchStudyRun.Outcome outcome = run.train(config.python(), data, data.usable(), config.steps(), config.at(),
                            config.batch(), threads, gan.generatorWidth(), gan.noiseDim(), recipe.emaDecay(), config.seed(),
                            config.progressEvery(), log);
                    future.complete(new PyTorchTraining(run, outcome));
                } catch (IOException | RuntimeException | InterruptedException e) {
                    future.completeExceptionally(e);
                }
            });
            started.put(recipe, future);
        }
        return started;
    }

    /** A finished PyTorch child: its scripts' folder (which holds the exports) and what it reported. */
    record PyTorchTraining(PyTorchStudyRun run, PyTorchStudyRun.Outcome outcome) {
    }

    /**
     * Trains and measures the trainer's recipes here (a pipeline recipe chooses between its weight average and live
     * generator with {@code inTraining}, the trainer's own 1,000-image measurement), then waits for the PyTorch ones and measures their exports; prints
     * the curves and the ratio lines and writes {@code equal-steps.md} and {@code equal-steps.json}.
     */
    void execute(StudyData data, Evaluator evaluator, Evaluator inTraining, int threads,
            Map<Recipe, CompletableFuture<PyTorchTraining>> pytorch) throws IOException, InterruptedException {
        for (Recipe recipe : config.recipes()) {
            if (!recipe.pytorch()) {
                trainAndMeasure(recipe, data, evaluator, inTraining, threads);
                writeTables(evaluator);
            }
        }
        for (Map.Entry<Recipe, CompletableFuture<PyTorchTraining>> entry : pytorch.entrySet()) {
            log.printf(Locale.ROOT, "== %s: waiting for its %d steps to finish ==%n", entry.getKey().title(), config.steps());
            PyTorchTraining done;
            try {
                done = entry.getValue().get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("The PyTorch recipe " + entry.getKey().id() + " failed: " + e.getCause().getMessage(),
                        e.getCause());
            }
            try {
                trainSeconds.put(entry.getKey(), done.outcome().seconds());
                for (Map.Entry<Integer, Path> export : done.outcome().exported().entrySet()) {
                    try (OnnxModelGenerator generator = OnnxModelGenerator.load(export.getValue())) {
                        record(entry.getKey(), export.getKey(), evaluator.evaluate(generator));
                        writeGrid(entry.getKey(), export.getKey(), generator, evaluator);
                    }
                }
            } finally {
                done.run().close(); // the exports live in the run's folder: delete it only once they are measured
            }
            writeTables(evaluator);
        }
        out.println();
        out.print(EqualStepTable.markdown(points, config.at(), evaluator.floor()));
        out.println();
        EqualStepTable.ratioLines(points, config.at(), ratioSuffix).forEach(out::println);
        averageLines.forEach(out::println);
    }

    private void trainAndMeasure(Recipe recipe, StudyData data, Evaluator evaluator, Evaluator inTraining, int threads)
            throws InterruptedException {
        ImageShape shape = data.train().shape();
        GanConfig gan = recipe.configure(GanConfig.dcgan28().withSeed(config.seed()).withThreads(threads), data.train().classCount());
        log.printf(Locale.ROOT, "== %s: %d steps, measured at %s ==%n", recipe.title(), config.steps(), config.at());
        try (GanTrainingCore core = new GanTrainingCore(gan)) {
            long imagesSeen = 0;
            BatchAssembler batches = data.batches(recipe, config.batch(), gan.seed());
            long trainingNanos = 0;
            int next = 0;
            for (int s = 1; s <= config.steps(); s++) {
                long t0 = System.nanoTime();
                TrainingBatch batch = batches.next(Duration.ZERO).orElseThrow(() -> new IllegalStateException(
                        "The study's image order ran dry before " + config.steps() + " steps; this is a bug in StudyData."));
                imagesSeen += batch.fresh();
                core.augmentFor(imagesSeen); // --augment auto: as the trainer, by the distinct images seen so far
                StepResult step = core.trainStep(batch.pixels(), gan.conditional() ? batch.labels() : null, batch.size());
                trainingNanos += System.nanoTime() - t0;
                if (s % config.progressEvery() == 0) {
                    log.printf(Locale.ROOT, "%s step %d/%d: %.2f steps/s; D loss %.3f, G loss %.3f.%n", recipe.id(), s, config.steps(),
                            s / (trainingNanos / 1e9), step.dLoss(), step.gLoss());
                }
                if (s == config.at().get(next)) {
                    Optional<WeightsChoice> choice = recipe.choosesWeights() && core.averaged()
                            ? Optional.of(WeightsChoice.choose(inTraining, core, shape)) : Optional.empty();
                    CoreGenerator generator = new CoreGenerator(core, shape, recipe.id() + " after " + s + " steps");
                    QualityMetrics published = record(recipe, s, evaluator.evaluate(generator));
                    writeGrid(recipe, s, generator, evaluator);
                    if (core.averaged()) {
                        measureBoth(recipe, s, core, shape, evaluator, published, choice);
                    }
                    next++;
                }
            }
            trainSeconds.put(recipe, trainingNanos / 1e9);
        }
    }

    private QualityMetrics record(Recipe recipe, int step, EvaluationReport report) {
        QualityMetrics m = report.generated();
        points.add(new Point(recipe, step, m));
        log.printf(Locale.ROOT, "%s after %d steps: FID %.2f, KID %.4f, precision %.3f, recall %.3f (evaluation %.0f s).%n",
                recipe.id(), step, m.fid(), m.kid(), m.precision(), m.recall(), report.seconds());
        return m;
    }

    /**
     * Measures the generator that was not published too, so the table's figure of an EMA recipe can be read against
     * both: what the average adds, and what the trainer's choice between them (its 1,000-image measurement) gets right.
     */
    private void measureBoth(Recipe recipe, int step, GanTrainingCore core, ImageShape shape, Evaluator evaluator,
            QualityMetrics published, Optional<WeightsChoice> choice) {
        GeneratorWeights other = core.published() == GeneratorWeights.LIVE ? GeneratorWeights.AVERAGE : GeneratorWeights.LIVE;
        QualityMetrics unpublished = evaluator.evaluate(CoreGenerator.of(core, other, shape,
                recipe.id() + " " + other.name().toLowerCase(Locale.ROOT) + " after " + step + " steps")).generated();
        double averageFid = other == GeneratorWeights.AVERAGE ? unpublished.fid() : published.fid();
        double liveFid = other == GeneratorWeights.LIVE ? unpublished.fid() : published.fid();
        String line = String.format(Locale.ROOT, "average %s at %d: FID %.2f with the weight average, %.2f live (ratio %.3f)%s",
                recipe.id(), step, averageFid, liveFid, averageFid / liveFid,
                choice.map(c -> String.format(Locale.ROOT, "; the trainer's measurement (%.2f / %.2f on 1,000 images) published the %s",
                        c.averageFid(), c.liveFid(), c.chosen() == GeneratorWeights.LIVE ? "live generator" : "average")).orElse(""));
        averageLines.add(line);
        log.println(line + ".");
    }

    /** {@code samples/<recipe>-<step>.png}: the evaluator's first noise vectors, as the defaults study draws them. */
    private void writeGrid(Recipe recipe, int step, Generator generator, Evaluator evaluator) {
        Path file = config.out().resolve("samples/" + recipe.id() + "-" + step + ".png");
        try {
            ModelDirectory.atomicWrite(file, QualityStudy.sampleGrid(generator, evaluator.options().seed(),
                    evaluator.classifier().classNames().size()));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the sample grid " + file + ": " + e.getMessage(), e);
        }
    }

    private void writeTables(Evaluator evaluator) throws IOException {
        write("equal-steps.md", EqualStepTable.markdown(points, config.at(), evaluator.floor()) + "\n"
                + String.join("\n", EqualStepTable.ratioLines(points, config.at(), ratioSuffix)) + "\n"
                + (averageLines.isEmpty() ? "" : "\n" + String.join("\n", averageLines) + "\n"));
        write("equal-steps.json", EqualStepTable.json(points, trainSeconds, evaluator.floor()) + "\n");
    }

    private void write(String relative, String text) throws IOException {
        ModelDirectory.atomicWrite(config.out().resolve(relative), text.getBytes(StandardCharsets.UTF_8));
    }

    /** Intra-op threads per engine: as configured, else half the cores each while PyTorch trains beside the trainer. */
    static int threadsBesidePyTorch(int configured, boolean pytorchBeside) {
        if (configured > 0 || !pytorchBeside) {
            return configured;
        }
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }
}
