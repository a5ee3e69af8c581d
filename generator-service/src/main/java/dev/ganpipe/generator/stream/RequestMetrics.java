package dev.ganpipe.generator.stream;

import static dev.ganpipe.common.metrics.MetricNames.OUTCOME_ACCEPTED;
import static dev.ganpipe.common.metrics.MetricNames.OUTCOME_REJECTED;
import static dev.ganpipe.common.metrics.MetricNames.REASON_NONE;
import static dev.ganpipe.common.metrics.MetricNames.TAG_OUTCOME;
import static dev.ganpipe.common.metrics.MetricNames.TAG_REASON;

import dev.ganpipe.common.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@code gan_generator_stream_requests_total{outcome="accepted|rejected",reason}}: every {@code synthetic.requests}
 * record, answered or dead-lettered. Every reason is registered at zero up front, so dashboards and alerts see the
 * series before the first rejection. Images are counted in {@code gan_generator_images_total} with HTTP's.
 */
public final class RequestMetrics {

    private final Counter accepted;
    private final Map<RequestRejectReason, Counter> rejected = new EnumMap<>(RequestRejectReason.class);

    public RequestMetrics(MeterRegistry meters) {
        String description = "synthetic.requests records, by outcome and rejection reason";
        accepted = Counter.builder(MetricNames.GENERATOR_STREAM_REQUESTS)
                .tag(TAG_OUTCOME, OUTCOME_ACCEPTED).tag(TAG_REASON, REASON_NONE).description(description).register(meters);
        for (RequestRejectReason reason : RequestRejectReason.values()) {
            rejected.put(reason, Counter.builder(MetricNames.GENERATOR_STREAM_REQUESTS)
                    .tag(TAG_OUTCOME, OUTCOME_REJECTED).tag(TAG_REASON, reason.code()).description(description).register(meters));
        }
    }

    /** Counts an answered request. */
    void accepted() {
        accepted.increment();
    }

    /** Counts a dead-lettered request. */
    void rejected(RequestRejectReason reason) {
        rejected.get(reason).increment();
    }
}
