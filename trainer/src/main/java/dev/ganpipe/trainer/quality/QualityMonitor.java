package dev.ganpipe.trainer.quality;

import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.quality.EvaluationOptions;
import dev.ganpipe.quality.EvaluationReport;
import dev.ganpipe.quality.Evaluator;
import dev.ganpipe.quality.data.LoaderOptions;
import dev.ganpipe.quality.data.RealDataLoader;
import dev.ganpipe.quality.usefulness.ClassificationAccuracyScore;
import dev.ganpipe.quality.usefulness.UsefulnessOptions;
import dev.ganpipe.quality.usefulness.UsefulnessReport;
import dev.ganpipe.trainer.gan.GanTrainingCore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the trainer's generator between steps, chooses which of its generators to publish ({@link WeightsChoice},
 * under {@code --publish-weights auto}) and judges exports. Everything but construction runs on the
 * training thread: the evaluator's classifier is a DJL network, and DJL allows one gradient recording per JVM, so
 * it is trained (or loaded from the cache) by {@link #prepare()} before the first step, never beside one.
 */
public final class QualityMonitor implements PublishGate, ConfidenceHead, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QualityMonitor.class);
    /** Scores of both candidates when the trainer chooses which generator to publish ({@link WeightsChoice}). */
    public static final String FID_AVERAGE = "fid_average";
    public static final String FID_LIVE = "fid_live";

    private final QualitySettings settings;
    private final RealDataLoader.Split data;
    private final EvaluationOptions options;
    private final QualityHistory history;
    private final Consumer<Map<String, Double>> gauges;
    private final Clock clock;
    private Evaluator evaluator;
    private byte[] confidenceExtension; // the classifier as ONNX nodes, written once: its weights never change
    private Optional<Map<String, Double>> live;
    private volatile QualityRecord latest;
    private long scheduledMeasurements;

    private QualityMonitor(QualitySettings settings, RealDataLoader.Split data, QualityHistory history,
            Optional<Map<String, Double>> live, Consumer<Map<String, Double>> gauges, Clock clock) {
        this.settings = settings;
        this.data = data;
        this.history = history;
        this.live = live;
        this.gauges = gauges;
        this.clock = clock;
        this.options = EvaluationOptions.inTraining().withCount(settings.count()).withCacheDir(settings.cacheDir())
                .withProgress(line -> LOG.info("Quality: {}", line));
        this.latest = history.records().isEmpty() ? null : history.records().getLast();
    }

    /**
     * Reads the real data (on the calling thread: file work only) and opens the history.
     *
     * @param liveScores the quality scores of the model published now, from its manifest; empty when none is
     *     published or it carries none
     * @param gauges receives every measurement's scores (the trainer's {@code gan_trainer_quality} gauges)
     * @throws IllegalArgumentException when the data is missing, unlabelled or of another shape, with what to do
     */
    public static QualityMonitor open(QualitySettings settings, ImageShape shape, Optional<Map<String, Double>> liveScores,
            Consumer<Map<String, Double>> gauges, Clock clock) {
        String location = settings.data().orElseThrow(() -> new IllegalArgumentException("Quality is off: no --quality-data was given."));
        RealDataLoader.Split split;
        try {
            split = RealDataLoader.load(location, settings.heldOut(), LoaderOptions.forShape(shape), line -> LOG.info("Quality: {}", line));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the quality data " + location + " (" + e.getMessage()
                    + "); check --quality-data, or leave it out to train without quality measurements.", e);
        }
        LOG.info("Quality: {} training and {} held-out images of {} classes from {}; measuring {} images every {} steps; gate {}.",
                split.train().count(), split.heldOut().count(), split.train().classCount(), location,
                Math.min(settings.count(), split.heldOut().count()), settings.everySteps(),
                settings.gate().map(g -> "on " + g.metric() + " with margin " + g.margin()).orElse("off"));
        return new QualityMonitor(settings, split, new QualityHistory(settings.directory()), liveScores, gauges, clock);
    }

    /** Trains or loads the classifier and prepares the held-out side. Call on the training thread before training. */
    public void prepare() {
        if (evaluator == null) {
            evaluator = Evaluator.prepare(data.train(), data.heldOut(), options);
        }
    }

    /** Whether a scheduled measurement is due after {@code step}. */
    public boolean due(long step) {
        return step % settings.everySteps() == 0;
    }

    /** Whether exports are judged before they are published. */
    public boolean gating() {
        return settings.gate().isPresent();
    }

    /** Measures the generator now and records it as a scheduled measurement. */
    public QualityRecord measure(GanTrainingCore core) {
        scheduledMeasurements++;
        QualityRecord record = record(core, QualityRecord.EVALUATED);
        history.add(record);
        return record;
    }

    /** The gate's verdict on the generator as it is now, with its scores. */
    public record Verdict(boolean publish, String reason, QualityRecord measured) {

        /** The scores as a model manifest carries them ({@code quality_fid}, ...). */
        public Map<String, Double> manifestScores() {
            Map<String, Double> out = new LinkedHashMap<>();
            measured.scores().forEach((k, v) -> out.put(QualityGate.MANIFEST_PREFIX + k, v));
            return out;
        }
    }

    /**
     * Measures the generator and asks the gate whether it may replace the live model. A refusal is recorded at once;
     * an acceptance only once {@link #published(Verdict)} confirms the model went out.
     */
    @Override
    public Verdict judge(GanTrainingCore core) {
        QualityRecord measured = record(core, QualityRecord.PUBLISHED);
        QualityGate gate = settings.gate().orElseThrow(() -> new IllegalStateException("The quality gate is off; check gating() first."));
        QualityGate.Decision decision = gate.decide(measured.scores(), live);
        if (!decision.publish()) {
            history.add(new QualityRecord(measured.step(), measured.time(), QualityRecord.REFUSED, measured.scores(), measured.floorFid()));
        }
        return new Verdict(decision.publish(), decision.reason(), measured);
    }

    /** Records that a judged model was published: it is the live model the next export is compared with. */
    @Override
    public void published(Verdict verdict) {
        live = Optional.of(verdict.measured().scores());
        history.add(verdict.measured());
    }

    /** The newest measurement (of this run or, after a restart, of the history), or null before any. */
    public QualityRecord latest() {
        return latest;
    }

    public QualityHistory history() {
        return history;
    }

    private QualityRecord record(GanTrainingCore core, String outcome) {
        prepare();
        EvaluationReport report;
        Map<String, Double> choice = new LinkedHashMap<>();
        if (settings.weights() == WeightsPolicy.AUTO && core.averaged()) {
            WeightsChoice chosen = WeightsChoice.choose(evaluator, core, data.train().shape());
            LOG.info("Quality: {}.", chosen.describe(core.step()));
            report = chosen.report();
            choice.put(FID_AVERAGE, chosen.averageFid());
            choice.put(FID_LIVE, chosen.liveFid());
        } else {
            report = evaluator.evaluate(new CoreGenerator(core, data.train().shape()));
        }
        Map<String, Double> scores = QualityHistory.finite(report.generated().asMap());
        scores.putAll(QualityHistory.finite(choice));
        if (casDue(core, outcome)) {
            long started = System.nanoTime();
            ClassificationAccuracyScore cas = evaluator.classificationAccuracyScore(new CoreGenerator(core, data.train().shape()),
                    UsefulnessOptions.inTraining().withSeed(options.seed()));
            scores.put(UsefulnessReport.CAS, cas.generated().accuracy());
            scores.put(UsefulnessReport.CAS_RATIO, cas.ratio());
            LOG.info("Quality: CAS at step {}: {} on held-out real images ({}x the same classifier trained on real images), {} s.", core.step(),
                    String.format(Locale.ROOT, "%.4f", cas.generated().accuracy()), String.format(Locale.ROOT, "%.3f", cas.ratio()),
                    String.format(Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9));
        }
        double floorFid = report.floor().map(f -> f.fid()).orElse(Double.NaN);
        QualityRecord record = new QualityRecord(core.step(), clock.instant().toString(), outcome, scores, floorFid);
        gauges.accept(scores);
        latest = record;
        return record;
    }

    /**
     * CAS trains a small classifier, so it runs only at every {@link QualitySettings#casEvery()}-th scheduled
     * measurement, and at every judged export while the gate compares CAS (a gate without the score would wave every
     * export through).
     */
    private boolean casDue(GanTrainingCore core, String outcome) {
        if (!core.config().conditional()) {
            return false;
        }
        boolean casGate = settings.gate().map(g -> g.metric().equals(UsefulnessReport.CAS)).orElse(false);
        if (QualityRecord.PUBLISHED.equals(outcome)) {
            return casGate;
        }
        return settings.casEvery() > 0 && scheduledMeasurements % settings.casEvery() == 0;
    }

    /** The evaluator's classifier, once prepared, when it knows the generator's classes. Training thread only. */
    @Override
    public Optional<byte[]> extension(int classes) {
        if (evaluator == null || classes < 2 || evaluator.classifier().architecture().classes() != classes) {
            return Optional.empty();
        }
        if (confidenceExtension == null) {
            confidenceExtension = evaluator.classifier().confidenceExtension();
        }
        return Optional.of(confidenceExtension);
    }

    @Override
    public void close() {
        if (evaluator != null) {
            evaluator.close();
        }
    }
}
