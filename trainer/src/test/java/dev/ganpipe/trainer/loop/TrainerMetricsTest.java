package dev.ganpipe.trainer.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ganpipe.common.metrics.MetricNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class TrainerMetricsTest {

    @Test
    void theLagAndReplayGaugesKeepReportingAfterTheirSuppliersAreOnlyHeldByTheRegistry() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        int buffered = 7;
        long lag = 42;
        // Capturing lambdas, like the service's method references: nothing but the gauges holds them.
        new TrainerMetrics(registry, () -> buffered, () -> lag);
        for (int i = 0; i < 5; i++) {
            System.gc(); // a weakly held supplier would be collected here and the gauge would read NaN
        }
        assertThat(registry.get(MetricNames.TRAINER_LAG).gauge().value()).isEqualTo(42.0);
        assertThat(registry.get(MetricNames.TRAINER_REPLAY_BUFFER).gauge().value()).isEqualTo(7.0);
    }
}
