package dev.ganpipe.deploycheck;

import dev.ganpipe.common.metrics.MeterRegistries;
import dev.ganpipe.common.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The Prometheus series names the services expose, derived rather than typed out: every {@link MetricNames}
 * constant is registered with its meter type in the same Prometheus registry the services use, and the names are read
 * back from its scrape. So a dashboard or alert that spells a name differently from what Micrometer renders (a missing
 * {@code _total}, {@code _seconds} or {@code _bucket}) fails here, not in Grafana.
 */
final class KnownMetrics {

    /**
     * Meters DESIGN.md and the monitoring brief name that are not (yet) constants in {@link MetricNames}. Move each
     * to MetricNames when its service registers it, and use the constant here.
     */
    static final String TRAINER_RECORDS_REJECTED = "gan.trainer.records.rejected";
    static final String TRAINER_QUALITY_GATE_REFUSALS = "gan.trainer.quality.gate.refusals";
    static final String TRAINER_LAG = "gan.trainer.lag.images";

    /** Series Prometheus writes itself for every target. */
    static final Set<String> PROMETHEUS_SYNTHETIC = Set.of("up");

    private KnownMetrics() {
    }

    /** Every series name a service exposes: the pipeline's own meters plus the JVM and process binders. */
    static Set<String> exposedByServices() {
        return scrape(name -> true);
    }

    /** The pipeline's own series ({@code gan_*}), the ones dashboards may use. */
    static Set<String> pipeline() {
        return scrape(name -> name.startsWith("gan_"));
    }

    private static Set<String> scrape(Predicate<String> keep) {
        PrometheusMeterRegistry registry = MeterRegistries.prometheus("deploy-check");
        try {
            registerPipelineMeters(registry);
            Set<String> names = new TreeSet<>();
            registry.scrape().lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(line -> line.split("[{ ]", 2)[0])
                    .filter(keep)
                    .forEach(names::add);
            return names;
        } finally {
            registry.close();
        }
    }

    /** Registers each pipeline meter with the type its service gives it (the comments in MetricNames). */
    private static void registerPipelineMeters(MeterRegistry registry) {
        for (String counter : new String[] {MetricNames.INGEST_IMAGES, MetricNames.INGEST_BYTES, MetricNames.TRAINER_STEPS,
                MetricNames.TRAINER_IMAGES, MetricNames.TRAINER_EXPORTS, MetricNames.GENERATOR_REQUESTS,
                MetricNames.GENERATOR_IMAGES, MetricNames.GENERATOR_MODEL_SWAPS, TRAINER_RECORDS_REJECTED,
                TRAINER_QUALITY_GATE_REFUSALS}) {
            Counter.builder(counter).register(registry);
        }
        for (String histogram : new String[] {MetricNames.INGEST_NORMALIZE, MetricNames.TRAINER_STEP,
                MetricNames.TRAINER_DATA_WAIT, MetricNames.GENERATOR_REQUEST}) {
            Timer.builder(histogram).publishPercentileHistogram().register(registry).record(java.time.Duration.ofMillis(1));
        }
        for (String gauge : new String[] {MetricNames.TRAINER_LOSS, MetricNames.TRAINER_DISCRIMINATOR_OUTPUT, MetricNames.TRAINER_AUGMENT_PROBABILITY,
                MetricNames.TRAINER_LAST_EXPORT, MetricNames.TRAINER_QUALITY, MetricNames.TRAINER_REPLAY_BUFFER,
                MetricNames.GENERATOR_MODEL_VERSION, TRAINER_LAG}) {
            Gauge.builder(gauge, () -> 0).register(registry);
        }
        // Each forward pass: a timer without a histogram (gan_generator_forward_seconds_{count,sum,max}).
        Timer.builder(MetricNames.GENERATOR_FORWARD).register(registry).record(java.time.Duration.ofMillis(1));
        // DESIGN.md documents gan_generator_batch_size_{count,sum,max}: a summary with no base unit.
        DistributionSummary.builder(MetricNames.GENERATOR_BATCH_SIZE).register(registry).record(1);
    }
}
