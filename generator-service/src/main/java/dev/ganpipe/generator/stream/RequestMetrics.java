package dev.ganpipe.generator.stream;

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

    public static final String OUTCOME = "outcome";
    public static final String REASON = "reason";
    public static final String ACCEPTED = "accepted";
    public static final String REJECTED = "rejected";
    /** The reason tag of answered requests. */
    public static final String REASON_NONE = "none";

    private final Counter accepted;
    private final Map<RequestRejectReason, Counter> rejected = new EnumMap<>(RequestRejectReason.class);

    public RequestMetrics(MeterRegistry meters) {
        String description = "synthetic.requests records, by outcome and rejection reason";
        accepted = Counter.builder(MetricNames.GENERATOR_STREAM_REQUESTS).tag(OUTCOME, ACCEPTED).tag(REASON, REASON_NONE)
                .description(description).register(meters);
        for (RequestRejectReason reason : RequestRejectReason.values()) {
            rejected.put(reason, Counter.builder(MetricNames.GENERATOR_STREAM_REQUESTS).tag(OUTCOME, REJECTED).tag(REASON, reason.code())
                    .description(description).register(meters));
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
