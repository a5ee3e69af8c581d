package dev.ganpipe.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void findsTheMetricsOfAnAggregatedRatio() {
        assertThat(PromQl.metricNames("sum by (job, service) (rate(gan_ingest_images_total{outcome=\"rejected\"}[10m]))"
                + " / sum by (job, service) (rate(gan_ingest_images_total[10m])) > 0.2"))
                .containsExactly("gan_ingest_images_total");
    }

    @Test
    void ignoresFunctionsLabelsRangesGroupingAndGrafanaVariables() {
        assertThat(PromQl.metricNames("histogram_quantile(0.99, sum by (le, endpoint) "
                + "(rate(gan_generator_request_seconds_bucket{endpoint=~\"/v1/.+\", status!=\"up\"}[$__rate_interval])))"))
                .containsExactly("gan_generator_request_seconds_bucket");
        assertThat(PromQl.metricNames("time() - max(gan_trainer_last_export_timestamp_seconds > 0)"))
                .containsExactly("gan_trainer_last_export_timestamp_seconds");
    }

    @Test
    void findsEverySideOfSetOperatorsAndVectorMatching() {
        assertThat(PromQl.metricNames("rate(a_total[5m]) == 0 and on (job, instance) deriv(b_images[10m]) > 0"
                + " or c_seconds * on (instance) group_left (version) d_info offset 1h"))
                .containsExactly("a_total", "b_images", "c_seconds", "d_info");
    }

    @Test
    void reportsAMisspelledNameSoThatTheCheckCanFail() {
        assertThat(PromQl.metricNames("rate(gan_trainer_step_total[5m])")).containsExactly("gan_trainer_step_total");
        assertThat(KnownMetrics.pipeline()).doesNotContain("gan_trainer_step_total");
    }

    @Test
    void knowsTheNamesMicrometerRendersForEachMeterType() {
        assertThat(KnownMetrics.pipeline()).contains(
                "gan_ingest_images_total", "gan_ingest_bytes_total", "gan_ingest_normalize_seconds_bucket",
                "gan_trainer_steps_total", "gan_trainer_loss", "gan_trainer_discriminator_output",
                "gan_trainer_step_seconds_bucket", "gan_trainer_data_wait_seconds_bucket",
                "gan_trainer_last_export_timestamp_seconds", "gan_trainer_replay_buffer_images",
                "gan_trainer_quality", "gan_trainer_quality_gate_refusals_total", "gan_trainer_lag_images",
                "gan_trainer_records_rejected_total",
                "gan_generator_requests_total", "gan_generator_request_seconds_bucket",
                "gan_generator_batch_size_count", "gan_generator_batch_size_sum", "gan_generator_batch_size_max",
                "gan_generator_model_version", "gan_generator_model_swaps_total");
        assertThat(KnownMetrics.exposedByServices()).contains("process_uptime_seconds", "jvm_memory_used_bytes");
    }
}
