package dev.ganpipe.trainer.loop;

import dev.ganpipe.common.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** Meters of checkpointing: writes by outcome, write time, and the newest checkpoint's time and step. */
public final class CheckpointMetrics {

    private final Counter written;
    private final Counter failed;
    private final Timer writeTime;
    private final AtomicLong lastEpochSeconds = new AtomicLong();
    private final AtomicLong lastStep = new AtomicLong();

    /** Registers the meters. */
    public CheckpointMetrics(MeterRegistry registry) {
        written = Counter.builder(MetricNames.TRAINER_CHECKPOINTS).tag(MetricNames.TAG_OUTCOME, "written")
                .description("Checkpoint writes").register(registry);
        failed = Counter.builder(MetricNames.TRAINER_CHECKPOINTS).tag(MetricNames.TAG_OUTCOME, "failed")
                .description("Checkpoint writes").register(registry);
        writeTime = Timer.builder(MetricNames.TRAINER_CHECKPOINT_WRITE)
                .description("Time to snapshot, write and sync one checkpoint").publishPercentileHistogram()
                .register(registry);
        Gauge.builder(MetricNames.TRAINER_LAST_CHECKPOINT, lastEpochSeconds, AtomicLong::doubleValue)
                .description("When the newest checkpoint was written (0: none in this run)").register(registry);
        Gauge.builder(MetricNames.TRAINER_LAST_CHECKPOINT_STEP, lastStep, AtomicLong::doubleValue)
                .description("Step of the newest checkpoint; consumer offsets are committed up to it").register(registry);
    }

    /** Records a checkpoint written and synced. */
    public void written(long step, Instant at, Duration took) {
        written.increment();
        writeTime.record(took);
        lastEpochSeconds.set(at.getEpochSecond());
        lastStep.set(step);
    }

    /** Records a checkpoint that could not be written. */
    public void failed() {
        failed.increment();
    }
}
