package dev.ganpipe.ingest.stream;

import static dev.ganpipe.common.metrics.MetricNames.OUTCOME_ACCEPTED;
import static dev.ganpipe.common.metrics.MetricNames.OUTCOME_REJECTED;
import static dev.ganpipe.common.metrics.MetricNames.REASON_NONE;
import static dev.ganpipe.common.metrics.MetricNames.TAG_OUTCOME;
import static dev.ganpipe.common.metrics.MetricNames.TAG_REASON;

import dev.ganpipe.common.metrics.MetricNames;
import dev.ganpipe.common.streams.StreamErrorKind;
import dev.ganpipe.images.normalize.ImageRejectReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The ingest meters of DESIGN.md, created once and injected: {@code gan_ingest_images_total{outcome,reason}}
 * (outcome {@code accepted}, {@code rejected} with the reject reason, or {@code duplicate} when the optional
 * duplicate filter held an image back),
 * {@code gan_ingest_bytes_total}, {@code gan_ingest_normalize_seconds} (histogram), plus
 * {@code gan_ingest_stream_errors_total{kind}} for records the Streams error handlers dealt with. Every
 * outcome and reason is registered at zero up front, so dashboards and alerts see the series before the first
 * rejection.
 */
public final class IngestMetrics {

    /** The outcome of an image the duplicate filter held back (with reason {@link #REASON_SEEN_IN_WINDOW}). */
    public static final String DUPLICATE = "duplicate";
    /** The reason tag of duplicates: the same image id was accepted earlier within the dedup window. */
    public static final String REASON_SEEN_IN_WINDOW = "seen_in_window";
    /** {@code gan_ingest_stream_errors_total{kind}}: records the Streams error handlers took over. */
    public static final String STREAM_ERRORS = "gan.ingest.stream.errors";

    private final Counter accepted;
    private final Counter duplicates;
    private final Map<ImageRejectReason, Counter> rejected = new EnumMap<>(ImageRejectReason.class);
    private final Map<StreamErrorKind, Counter> streamErrors = new EnumMap<>(StreamErrorKind.class);
    private final Counter bytes;
    private final Timer normalize;

    public IngestMetrics(MeterRegistry registry) {
        String images = "Images the normaliser handled, by outcome and rejection reason";
        accepted = Counter.builder(MetricNames.INGEST_IMAGES).tag(TAG_OUTCOME, OUTCOME_ACCEPTED).tag(TAG_REASON, REASON_NONE)
                .description(images).register(registry);
        duplicates = Counter.builder(MetricNames.INGEST_IMAGES).tag(TAG_OUTCOME, DUPLICATE).tag(TAG_REASON, REASON_SEEN_IN_WINDOW)
                .description(images).register(registry);
        for (ImageRejectReason reason : ImageRejectReason.values()) {
            rejected.put(reason, Counter.builder(MetricNames.INGEST_IMAGES).tag(TAG_OUTCOME, OUTCOME_REJECTED).tag(TAG_REASON, reason.code())
                    .description(images).register(registry));
        }
        for (StreamErrorKind kind : StreamErrorKind.values()) {
            streamErrors.put(kind, Counter.builder(STREAM_ERRORS).tag("kind", kind.tag())
                    .description("Records the Kafka Streams error handlers took over").register(registry));
        }
        bytes = Counter.builder(MetricNames.INGEST_BYTES).baseUnit("bytes")
                .description("Bytes of encoded input the normaliser read").register(registry);
        normalize = Timer.builder(MetricNames.INGEST_NORMALIZE).publishPercentileHistogram()
                .description("Time to validate and normalise one image").register(registry);
    }

    /** Counts an accepted image. */
    public void accepted() {
        accepted.increment();
    }

    /** Counts an image the duplicate filter held back. */
    public void duplicate() {
        duplicates.increment();
    }

    /** Counts a rejected image. */
    public void rejected(ImageRejectReason reason) {
        rejected.get(reason).increment();
    }

    /** Counts input bytes. */
    public void bytes(long count) {
        bytes.increment(count);
    }

    /**
     * Counts a record a Streams error handler took over; one it dead-lettered also counts as rejected with reason
     * {@code internal}.
     */
    public void streamError(StreamErrorKind kind) {
        streamErrors.get(kind).increment();
        if (kind != StreamErrorKind.PRODUCTION) {
            rejected(ImageRejectReason.INTERNAL);
        }
    }

    /** Runs and times one normalisation. */
    public <T> T timeNormalize(Supplier<T> work) {
        return normalize.record(work);
    }
}
