package dev.ganpipe.trainer.loop;

import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.model.ModelManifest;
import dev.ganpipe.common.model.ModelMetadata;
import dev.ganpipe.common.model.Noise;
import dev.ganpipe.trainer.data.BatchAssembler;
import dev.ganpipe.trainer.data.TrainingBatch;
import dev.ganpipe.trainer.data.TrainingFeed;
import dev.ganpipe.trainer.gan.GanTrainingCore;
import dev.ganpipe.trainer.gan.StepResult;
import dev.ganpipe.trainer.publish.ModelPublisher;
import dev.ganpipe.trainer.quality.QualityMonitor;
import dev.ganpipe.trainer.quality.QualityRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training thread's loop: batch, step, metrics, samples, exports. Only this thread touches the networks.
 */
public final class TrainingLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);
    /** Seed of the fixed noise of sample grids; the generator service's {@code seed=7} shows other images. */
    public static final long SAMPLE_SEED = 20_251_125L;
    private static final int SAMPLE_COUNT = 64;

    private final GanTrainingCore core;
    private final BatchAssembler batches;
    private final TrainingFeed feed;
    private final ModelPublisher publisher;
    private final SampleGrids samples;
    private final TrainerMetrics metrics;
    private final Schedule schedule;
    private final ImageShape shape;
    private final String device;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final float[] sampleNoise;
    private final long[] sampleLabels; // null for an unconditional GAN
    private final Checkpointer checkpointer;
    private final QualityMonitor quality; // null when quality is off

    private volatile String state = "starting";
    private volatile String error;
    private volatile StepResult last;
    private volatile long imagesSeen;
    private volatile double stepsPerSecond;
    private long lastExportStep;
    private Instant lastExportTime;

    /**
     * @param checkpointer writes checkpoints on schedule and when the loop stops
     * @param imagesSeen fresh images trained on before this run (from the checkpoint it resumed from)
     * @param quality measures the generator and gates exports; empty when quality is off
     */
    public TrainingLoop(GanTrainingCore core, BatchAssembler batches, TrainingFeed feed, ModelPublisher publisher,
            SampleGrids samples, TrainerMetrics metrics, Schedule schedule, ImageShape shape, String device, Clock clock,
            Checkpointer checkpointer, long imagesSeen, Optional<QualityMonitor> quality) {
        this.core = core;
        this.quality = quality.orElse(null);
        this.checkpointer = checkpointer;
        this.imagesSeen = imagesSeen;
        this.batches = batches;
        this.feed = feed;
        this.publisher = publisher;
        this.samples = samples;
        this.metrics = metrics;
        this.schedule = schedule;
        this.shape = shape;
        this.device = device;
        this.clock = clock;
        this.sampleNoise = Noise.gaussian(SAMPLE_SEED, SAMPLE_COUNT, core.config().noiseDim());
        this.sampleLabels = sampleLabels(core.config().classes());
    }

    @Override
    public void run() {
        lastExportTime = clock.instant();
        lastExportStep = core.step();
        if (core.step() > 0) {
            writeSamples(core.step()); // resumed: show the restored generator at once
        }
        long windowStart = System.nanoTime();
        long windowSteps = 0;
        try {
            if (quality != null) {
                // Trains or loads the evaluator's classifier here, before the first step: DJL records one gradient at a time.
                state = "preparing_evaluator";
                quality.prepare();
            }
            while (running.get() && (schedule.maxSteps() == 0 || core.step() < schedule.maxSteps())) {
                long t0 = System.nanoTime();
                Optional<TrainingBatch> next = batches.next(Duration.ofMillis(500));
                Duration waited = Duration.ofNanos(System.nanoTime() - t0);
                if (next.isEmpty()) {
                    state = "waiting_for_data";
                    metrics.waited(waited);
                    continue;
                }
                state = "training";
                TrainingBatch batch = next.get();
                long t1 = System.nanoTime();
                StepResult result = core.config().conditional()
                        ? core.trainStep(batch.pixels(), batch.labels(), batch.size())
                        : core.trainStep(batch.pixels(), batch.size());
                metrics.step(result, batch.fresh(), Duration.ofNanos(System.nanoTime() - t1), waited);
                last = result;
                imagesSeen += batch.fresh();
                checkpointer.covered(batch.positions());
                if (LOG.isDebugEnabled()) {
                    // One line per step with the exact offsets trained on: what "no image skipped" is checked against.
                    LOG.debug(String.format(Locale.ROOT, "step %d: D loss %.5f G loss %.5f D(real) %.4f D(fake) %.4f; "
                            + "fresh %d %s", result.step(), result.dLoss(), result.gLoss(), result.dRealMean(),
                            result.dFakeMean(), batch.fresh(), batch.freshOffsets()));
                }
                windowSteps++;
                long elapsed = System.nanoTime() - windowStart;
                if (elapsed > 5_000_000_000L) {
                    stepsPerSecond = windowSteps * 1e9 / elapsed;
                    LOG.info("step {}: D loss {} G loss {} D(real) {} D(fake) {}, {} steps/s, {} images seen, lag {}",
                            result.step(), fmt(result.dLoss()), fmt(result.gLoss()), fmt(result.dRealMean()),
                            fmt(result.dFakeMean()), fmt(stepsPerSecond), imagesSeen, feed.lag());
                    windowStart = System.nanoTime();
                    windowSteps = 0;
                }
                if (result.step() == 1 || result.step() % schedule.sampleEverySteps() == 0) {
                    writeSamples(result.step());
                }
                boolean exported = false;
                boolean lastStep = schedule.maxSteps() > 0 && result.step() >= schedule.maxSteps();
                if (lastStep || exportDue(result.step())) { // a bounded run ends with its final generator judged and published
                    exported = export(result);
                }
                if (quality != null && !exported && quality.due(result.step())) {
                    measureQuality(result.step());
                }
                if (checkpointer.due(result.step())) {
                    checkpointer.write(core, publisher.version(), imagesSeen);
                }
            }
            if (last != null && last.step() > lastExportStep) {
                export(last); // a stopped run publishes the generator it trained since the last export
            }
            if (core.step() > checkpointer.lastStep()) {
                checkpointer.write(core, publisher.version(), imagesSeen); // a clean stop loses no step
            }
            state = "stopped";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            state = "stopped";
        } catch (RuntimeException e) {
            error = e.getMessage();
            state = "failed";
            LOG.error("Training stopped with an error; fix the cause and restart the trainer.", e);
        }
    }

    private boolean exportDue(long step) {
        return step - lastExportStep >= schedule.exportEverySteps()
                || Duration.between(lastExportTime, clock.instant()).compareTo(schedule.exportEvery()) >= 0;
    }

    /**
     * Exports and publishes the generator unless the quality gate refuses it.
     *
     * @return whether quality was measured on the way (so a scheduled measurement at the same step is not repeated)
     */
    private boolean export(StepResult result) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put(ModelMetadata.STEP, Long.toString(result.step()));
        props.put(ModelMetadata.IMAGE_SHAPE, shape.toString());
        props.put(ModelMetadata.NOISE_DIM, Integer.toString(core.config().noiseDim()));
        props.put(ModelMetadata.NUM_CLASSES, Integer.toString(core.config().classes()));
        props.put(ModelMetadata.PRODUCER, "gan-pipeline trainer");
        Map<String, Double> scores = new LinkedHashMap<>();
        scores.put("d_loss", (double) result.dLoss());
        scores.put("g_loss", (double) result.gLoss());
        scores.put("d_real", (double) result.dRealMean());
        scores.put("d_fake", (double) result.dFakeMean());
        lastExportStep = result.step();
        lastExportTime = clock.instant();
        QualityMonitor.Verdict verdict = null;
        if (quality != null && quality.gating()) {
            try {
                verdict = quality.judge(core);
            } catch (RuntimeException e) {
                // An evaluator that cannot measure must not stop training; the export waits for the next one.
                LOG.error("Measuring quality at step {} failed, so nothing was published: {}", result.step(), e.getMessage(), e);
                metrics.qualityFailed();
                return true;
            }
            if (!verdict.publish()) {
                metrics.gateRefused();
                LOG.warn("The quality gate kept the generator of step {} from publishing: {}. The live model stays; "
                        + "training goes on and the next export is judged again.", result.step(), verdict.reason());
                return true;
            }
            scores.putAll(verdict.manifestScores());
        }
        try {
            byte[] onnx = core.exportGeneratorOnnx(props);
            publisher.publish(onnx, result.step(), shape.toString(), core.config().noiseDim(), scores);
            if (verdict != null) {
                quality.published(verdict);
                LOG.info("The quality gate published the generator of step {}: {}.", result.step(), verdict.reason());
            }
        } catch (RuntimeException e) {
            // Publishing is retried at the next export; training goes on meanwhile.
            LOG.error("Export at step {} failed: {}", result.step(), e.getMessage(), e);
        }
        return verdict != null;
    }

    private void measureQuality(long step) {
        try {
            QualityRecord record = quality.measure(core);
            LOG.info("Quality at step {}: {}", step, record.scores());
        } catch (RuntimeException e) {
            metrics.qualityFailed();
            LOG.error("Measuring quality at step {} failed; training goes on and measures again at the next interval: {}",
                    step, e.getMessage(), e);
        }
    }

    private void writeSamples(long step) {
        try {
            samples.write(step, core.generate(sampleNoise, sampleLabels, SAMPLE_COUNT), SAMPLE_COUNT);
        } catch (RuntimeException e) {
            LOG.error("Writing the sample grid at step {} failed: {}", step, e.getMessage(), e);
        }
    }

    /** Asks the loop to stop after the current step. */
    public void stop() {
        running.set(false);
    }

    /** A snapshot for {@code /v1/status}. */
    public TrainerStatus status() {
        StepResult r = last;
        ModelManifest m = publisher.last();
        return new TrainerStatus(state, core.step(), imagesSeen, feed.lag(), batches.replay().size(),
                r == null ? Double.NaN : r.dLoss(), r == null ? Double.NaN : r.gLoss(),
                r == null ? Double.NaN : r.dRealMean(), r == null ? Double.NaN : r.dFakeMean(),
                stepsPerSecond, device, m == null ? 0 : m.version(), m == null ? 0 : m.step(),
                m == null ? null : m.createdAt().toString(), error, checkpointer.resumedFromStep(),
                checkpointer.lastStep(), checkpointer.lastTime() == null ? null : checkpointer.lastTime().toString(),
                checkpointer.error(), quality == null ? null : quality.latest());
    }

    /** Labels of the sample grid of a conditional GAN: 0, 1, 2 ... in turn, so every class shows. */
    private static long[] sampleLabels(int classes) {
        if (classes == 0) {
            return null;
        }
        long[] labels = new long[SAMPLE_COUNT];
        for (int i = 0; i < SAMPLE_COUNT; i++) {
            labels[i] = i % classes;
        }
        return labels;
    }

    private static String fmt(double v) {
        return String.format("%.3f", v);
    }
}
