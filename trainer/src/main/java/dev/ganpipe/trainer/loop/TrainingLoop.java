package dev.ganpipe.trainer.loop;

import dev.ganpipe.common.model.ModelManifest;
import dev.ganpipe.common.model.Noise;
import dev.ganpipe.trainer.data.BatchSource;
import dev.ganpipe.trainer.data.TrainingBatch;
import dev.ganpipe.trainer.gan.Augmentation;
import dev.ganpipe.trainer.gan.GanTrainingCore;
import dev.ganpipe.trainer.gan.StepResult;
import dev.ganpipe.trainer.quality.QualityMonitor;
import dev.ganpipe.trainer.quality.QualityRecord;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training thread's loop: batch, step, metrics, samples, then release and checkpoint when due. Only this thread
 * touches the networks. Its edges are interfaces ({@link BatchSource}, {@link ModelRelease}'s sink and gate,
 * {@link CheckpointPort}), so the order of a step's work is tested without a broker.
 */
public final class TrainingLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);
    /** Seed of the fixed noise of sample grids; the generator service's {@code seed=7} shows other images. */
    public static final long SAMPLE_SEED = 20_251_125L;
    private static final int SAMPLE_COUNT = 64;

    private final GanTrainingCore core;
    private final BatchSource batches;
    private final ModelRelease release;
    private final CheckpointPort checkpoints;
    private final SampleGrids samples;
    private final TrainerMetrics metrics;
    private final Schedule schedule;
    private final String device;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final float[] sampleNoise;
    private final long[] sampleLabels; // null for an unconditional GAN
    private final QualityMonitor quality; // null when quality is off

    private volatile String state = "starting";
    private volatile String error;
    private volatile StepResult last;
    private volatile long imagesSeen;
    // Whether the augmentation switch's first state has been logged.
    private boolean augmentationAnnounced;
    private volatile double stepsPerSecond;

    /**
     * @param batches the batches to train on, and the lag the status reports
     * @param release exports, judges and publishes the generator on its schedule
     * @param checkpoints writes checkpoints on schedule and when the loop stops, then commits what they cover
     * @param schedule when sample grids are written and when the loop stops
     * @param imagesSeen fresh images trained on before this run (from the checkpoint it resumed from)
     * @param quality measures the generator on schedule; empty when quality is off
     */
    public TrainingLoop(GanTrainingCore core, BatchSource batches, ModelRelease release, CheckpointPort checkpoints,
            SampleGrids samples, TrainerMetrics metrics, Schedule schedule, String device, long imagesSeen,
            Optional<QualityMonitor> quality) {
        this.core = core;
        this.batches = batches;
        this.release = release;
        this.checkpoints = checkpoints;
        this.samples = samples;
        this.metrics = metrics;
        this.schedule = schedule;
        this.device = device;
        this.imagesSeen = imagesSeen;
        this.quality = quality.orElse(null);
        this.sampleNoise = Noise.gaussian(SAMPLE_SEED, SAMPLE_COUNT, core.config().noiseDim());
        this.sampleLabels = sampleLabels(core.config().classes());
    }

    @Override
    public void run() {
        release.startAt(core.step());
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
                switchAugmentationForDataSize(imagesSeen + batch.fresh());
                long t1 = System.nanoTime();
                StepResult result = core.trainStep(batch.pixels(), core.config().conditional() ? batch.labels() : null, batch.size());
                metrics.step(result, batch.fresh(), Duration.ofNanos(System.nanoTime() - t1), waited);
                last = result;
                imagesSeen += batch.fresh();
                checkpoints.covered(batch.positions());
                if (LOG.isDebugEnabled()) {
                    // One line per step with the exact offsets trained on: what "no image skipped" is checked against.
                    LOG.debug(String.format(Locale.ROOT, "step %d: D loss %.5f G loss %.5f D(real) %.4f D(fake) %.4f "
                            + "augment p %.6f; fresh %d %s", result.step(), result.dLoss(), result.gLoss(), result.dRealMean(),
                            result.dFakeMean(), result.augmentProbability(), batch.fresh(), batch.freshOffsets()));
                }
                windowSteps++;
                long elapsed = System.nanoTime() - windowStart;
                if (elapsed > 5_000_000_000L) {
                    stepsPerSecond = windowSteps * 1e9 / elapsed;
                    LOG.info("step {}: D loss {} G loss {} D(real) {} D(fake) {}, {} steps/s, {} images seen, lag {}",
                            result.step(), fmt(result.dLoss()), fmt(result.gLoss()), fmt(result.dRealMean()),
                            fmt(result.dFakeMean()), fmt(stepsPerSecond), imagesSeen, batches.lag());
                    windowStart = System.nanoTime();
                    windowSteps = 0;
                }
                if (result.step() == 1 || result.step() % schedule.sampleEverySteps() == 0) {
                    writeSamples(result.step());
                }
                boolean exported = false;
                boolean lastStep = schedule.maxSteps() > 0 && result.step() >= schedule.maxSteps();
                if (lastStep || release.due(result.step())) { // a bounded run ends with its final generator judged and published
                    exported = release.release(core, result);
                }
                if (quality != null && !exported && quality.due(result.step())) {
                    measureQuality(result.step());
                }
                if (checkpoints.due(result.step())) {
                    checkpoints.write(core, release.sink().version(), imagesSeen);
                }
            }
            if (last != null && last.step() > release.lastStep()) {
                release.release(core, last); // a stopped run publishes the generator it trained since the last export
            }
            if (core.step() > checkpoints.state().lastStep()) {
                checkpoints.write(core, release.sink().version(), imagesSeen); // a clean stop loses no step
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

    /**
     * With {@code --augment auto}: augmentation on while fewer images than its threshold have been seen, off from there,
     * said once in the log each time it switches (and at the first step, whichever way it starts).
     */
    private void switchAugmentationForDataSize(long seen) {
        Augmentation augmentation = core.config().augmentation();
        if (!augmentation.bySize()) {
            return;
        }
        boolean switched = core.augmentFor(seen);
        if (switched || !augmentationAnnounced) {
            augmentationAnnounced = true;
            if (core.augmenting()) {
                LOG.info("Augmentation (ADA) is on: the trainer has seen {} images, fewer than --augment-auto-until {}, where a "
                        + "discriminator soon memorises the data; p is {}.", seen, augmentation.activeBelowImages(), fmt(core.augmentProbability()));
            } else {
                LOG.info("Augmentation (ADA) is off: the trainer has seen {} images, at least --augment-auto-until {}; on that much "
                        + "data it measured worse than none (docs/quality.md).", seen, augmentation.activeBelowImages());
            }
        }
    }

    /** A snapshot for {@code /v1/status}. */
    public TrainerStatus status() {
        StepResult r = last;
        ModelManifest m = release.sink().last();
        CheckpointState c = checkpoints.state();
        return new TrainerStatus(state, core.step(), imagesSeen, batches.lag(), batches.replayed(),
                r == null ? Double.NaN : r.dLoss(), r == null ? Double.NaN : r.gLoss(),
                r == null ? Double.NaN : r.dRealMean(), r == null ? Double.NaN : r.dFakeMean(),
                core.config().augmentation().describe(), core.augmenting(), core.augmentProbability(), stepsPerSecond, device, m == null ? 0 : m.version(), m == null ? 0 : m.step(),
                m == null ? null : m.createdAt().toString(), error, c.resumedFromStep(),
                c.lastStep(), c.lastTime() == null ? null : c.lastTime().toString(),
                c.error(), quality == null ? null : quality.latest());
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
