package dev.ganpipe.trainer.loop;

import dev.ganpipe.common.metrics.MetricNames;
import dev.ganpipe.quality.QualityMetrics;
import dev.ganpipe.quality.usefulness.UsefulnessReport;
import dev.ganpipe.trainer.gan.StepResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/** The trainer's meters of DESIGN.md, created once and updated by the training thread. */
public final class TrainerMetrics {

    private final Counter steps;
    private final Counter images;
    private final Timer stepTime;
    private final Timer dataWait;
    private final AtomicReference<StepResult> last = new AtomicReference<>();

    /** Quality metrics the evaluator reports; NaN until the first evaluation so dashboards show "not measured yet". */
    public static final List<String> QUALITY_METRICS = List.of(QualityMetrics.FID, QualityMetrics.KID, QualityMetrics.PRECISION,
            QualityMetrics.RECALL, QualityMetrics.COVERAGE, QualityMetrics.CLASSES_COVERED, UsefulnessReport.CAS, UsefulnessReport.CAS_RATIO);

    private final Map<String, AtomicReference<Double>> quality = new LinkedHashMap<>();
    private final Counter gateRefusals;
    private final Counter qualityFailures;

    /**
     * @param replayBufferImages and {@code lagImages} are usually method references nothing else holds: their gauges
     *     keep them strongly, as Micrometer holds gauge objects weakly and would otherwise report NaN after a GC
     */
    public TrainerMetrics(MeterRegistry registry, IntSupplier replayBufferImages, LongSupplier lagImages) {
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
        Gauge.builder(MetricNames.TRAINER_DISCRIMINATOR_OUTPUT, last, r -> r.get() == null ? Double.NaN : r.get().dRealMean()).tag("on", "real")
                .description("Mean discriminator output (probability real)").register(registry);
        Gauge.builder(MetricNames.TRAINER_DISCRIMINATOR_OUTPUT, last, r -> r.get() == null ? Double.NaN : r.get().dFakeMean()).tag("on", "fake")
                .description("Mean discriminator output (probability real)").register(registry);
        Gauge.builder(MetricNames.TRAINER_AUGMENT_PROBABILITY, last, r -> r.get() == null ? 0 : r.get().augmentProbability())
                .description("Probability with which each augmentation transforms each image the discriminator sees (0: off)")
                .register(registry);
        Gauge.builder(MetricNames.TRAINER_REPLAY_BUFFER, replayBufferImages, s -> s.getAsInt())
                .description("Images held in the replay buffer").strongReference(true).register(registry);
        Gauge.builder(MetricNames.TRAINER_LAG, lagImages, s -> s.getAsLong())
                .description("Images on the training topic not trained on yet").strongReference(true).register(registry);
        for (String metric : QUALITY_METRICS) {
            AtomicReference<Double> value = new AtomicReference<>(Double.NaN);
            quality.put(metric, value);
            Gauge.builder(MetricNames.TRAINER_QUALITY, value, AtomicReference::get).tag("metric", metric)
                    .description("Quality of the generator at the last evaluation").register(registry);
        }
        gateRefusals = Counter.builder(MetricNames.TRAINER_QUALITY_GATE_REFUSALS)
                .description("Exports the quality gate kept from publishing").register(registry);
        qualityFailures = Counter.builder(MetricNames.TRAINER_QUALITY_FAILURES)
                .description("Quality measurements that failed (the export they judged was not published)").register(registry);
    }

    /** Records one finished step. */
    public void step(StepResult result, int freshImages, Duration took, Duration waited) {
        last.set(result);
        steps.increment();
        images.increment(freshImages);
        stepTime.record(took);
        dataWait.record(waited);
    }

    /** Records the scores of an evaluation (names from {@link #QUALITY_METRICS}; others are ignored). */
    public void quality(Map<String, Double> scores) {
        scores.forEach((name, value) -> {
            AtomicReference<Double> holder = quality.get(name);
            if (holder != null) {
                holder.set(value);
            }
        });
    }

    /** Counts an export the quality gate refused. */
    public void gateRefused() {
        gateRefusals.increment();
    }

    /** Counts a quality measurement that failed. */
    public void qualityFailed() {
        qualityFailures.increment();
    }

    /** Records a wait that produced no batch. */
    public void waited(Duration waited) {
        dataWait.record(waited);
    }
}
