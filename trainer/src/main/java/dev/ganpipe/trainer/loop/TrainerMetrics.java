package dev.ganpipe.trainer.loop;

import dev.ganpipe.common.metrics.MetricNames;
import dev.ganpipe.trainer.gan.StepResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

/** The trainer's meters of DESIGN.md, created once and updated by the training thread. */
public final class TrainerMetrics {

    private final Counter steps;
    private final Counter images;
    private final Timer stepTime;
    private final Timer dataWait;
    private final AtomicReference<StepResult> last = new AtomicReference<>();

    public TrainerMetrics(MeterRegistry registry, IntSupplier replayBufferImages) {
        steps = Counter.builder(MetricNames.TRAINER_STEPS).description("Adversarial training steps").register(registry);
        images = Counter.builder(MetricNames.TRAINER_IMAGES).description("Fresh stream images trained on").register(registry);
        stepTime = Timer.builder(MetricNames.TRAINER_STEP).description("Time of one D+G step")
                .publishPercentileHistogram().register(registry);
        dataWait = Timer.builder(MetricNames.TRAINER_DATA_WAIT).description("Time the training thread waited for a batch")
                .publishPercentileHistogram().register(registry);
        Gauge.builder(MetricNames.TRAINER_LOSS, last, r -> r.get() == null ? Double.NaN : r.get().dLoss()).tag("net", "d")
                .description("Last loss").register(registry);
        Gauge.builder(MetricNames.TRAINER_LOSS, last, r -> r.get() == null ? Double.NaN : r.get().gLoss()).tag("net", "g")
                .description("Last loss").register(registry);
        Gauge.builder(MetricNames.TRAINER_D_OUTPUT, last, r -> r.get() == null ? Double.NaN : r.get().dRealMean()).tag("on", "real")
                .description("Mean discriminator output (probability real)").register(registry);
        Gauge.builder(MetricNames.TRAINER_D_OUTPUT, last, r -> r.get() == null ? Double.NaN : r.get().dFakeMean()).tag("on", "fake")
                .description("Mean discriminator output (probability real)").register(registry);
        Gauge.builder(MetricNames.TRAINER_REPLAY_BUFFER, replayBufferImages, s -> s.getAsInt())
                .description("Images held in the replay buffer").register(registry);
    }

    /** Records one finished step. */
    public void step(StepResult result, int freshImages, Duration took, Duration waited) {
        last.set(result);
        steps.increment();
        images.increment(freshImages);
        stepTime.record(took);
        dataWait.record(waited);
    }

    /** Records a wait that produced no batch. */
    public void waited(Duration waited) {
        dataWait.record(waited);
    }
}
