package dev.ganpipe.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ganpipe.common.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UploadHealthTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-06T20:00:00Z"));
    private final UploadHealth health = new UploadHealth(clock);

    @Test
    void aRefusedUploadIsReportedUntilOneIsStored() {
        assertThat(health.problem()).isEmpty();
        health.refused("NotEnoughReplicasException: fewer in-sync replicas than required");
        clock.advance(Duration.ofSeconds(4));
        assertThat(health.problem()).hasValueSatisfying(p -> assertThat(p)
                .contains("4 s ago", "NotEnoughReplicasException", "min.insync.replicas", "bring the stopped brokers back"));
        health.stored();
        assertThat(health.problem()).isEmpty();
    }

    @Test
    void aRefusalIsForgottenWhenNoUploadFollowsIt() {
        health.refused("not acknowledged within 5 s");
        clock.advance(UploadHealth.REMEMBERED);
        assertThat(health.problem()).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(health.problem()).isEmpty();
    }
}
