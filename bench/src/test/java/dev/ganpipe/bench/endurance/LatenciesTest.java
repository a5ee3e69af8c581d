package dev.ganpipe.bench.endurance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatenciesTest {

    @Test
    void percentilesAreNearestRankValuesThatWereMeasured() {
        long[] sorted = new long[100];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = i + 1;
        }
        assertThat(Latencies.percentile(sorted, 50)).isEqualTo(50);
        assertThat(Latencies.percentile(sorted, 99)).isEqualTo(99);
        assertThat(Latencies.percentile(sorted, 100)).isEqualTo(100);
        assertThat(Latencies.percentile(new long[] {7}, 99)).isEqualTo(7);
        assertThat(Latencies.percentile(new long[] {1, 2, 3}, 50)).isEqualTo(2);
    }

    @Test
    void onlyOneSlowRequestInAHundredShowsInTheMaximumNotTheP99() {
        long[] nanos = new long[100];
        java.util.Arrays.fill(nanos, 1_000_000L);
        nanos[42] = 900_000_000L;
        Latencies l = Latencies.of(nanos);
        assertThat(l.count()).isEqualTo(100);
        assertThat(l.p50Millis()).isEqualTo(1.0);
        assertThat(l.p99Millis()).isEqualTo(1.0);
        assertThat(l.maxMillis()).isEqualTo(900.0);
        assertThat(nanos[42]).as("the caller's array is left unsorted").isEqualTo(900_000_000L);
    }

    @Test
    void noRequestsGiveNoFiguresAndAPercentileOfNothingIsRefused() {
        assertThat(Latencies.of(new long[0]).p99Millis()).isNaN();
        assertThatThrownBy(() -> Latencies.percentile(new long[0], 50)).hasMessageContaining("at least one request");
        assertThatThrownBy(() -> Latencies.percentile(new long[] {1}, 0)).hasMessageContaining("above 0");
    }
}
