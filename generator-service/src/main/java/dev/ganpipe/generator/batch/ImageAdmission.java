package dev.ganpipe.generator.batch;

import dev.ganpipe.common.metrics.MetricNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/**
 * Bounds the images that requests have asked for and not yet received, counted in images, not requests: a request is
 * admitted only while its images fit under {@code maxQueuedImages}, else it is refused at once (the HTTP API answers 503
 * with {@code Retry-After}) instead of waiting behind minutes of work. A request larger than one forward pass is
 * admitted only while it leaves one pass of room, so that requests that fit in one pass always find room behind large
 * ones. The batcher's fair shares then keep them from waiting behind the large ones' work.
 */
public final class ImageAdmission {

    /** The longest {@code Retry-After} this answers: past that, the estimate says little. */
    static final long MAX_RETRY_AFTER_SECONDS = 60;

    private final long maxQueuedImages;
    private final int reserve;
    private final DoubleSupplier imagesPerSecond;
    private final AtomicLong queued = new AtomicLong();

    /**
     * @param maxQueuedImages most images admitted and not yet generated, all requests together
     * @param largestRequest the most images one request may ask for
     * @param onePass images in one forward pass (the batcher's {@code maxBatch}): kept for requests that fit in one
     * @param imagesPerSecond how fast images are generated, for {@code Retry-After}; NaN when not known yet
     * @param meters where {@code gan_generator_queued_images} is registered
     */
    public ImageAdmission(long maxQueuedImages, int largestRequest, int onePass, DoubleSupplier imagesPerSecond, MeterRegistry meters) {
        if (onePass < 1) {
            throw new IllegalArgumentException("One forward pass must hold at least 1 image, but was " + onePass + ".");
        }
        check(maxQueuedImages, largestRequest, onePass);
        this.maxQueuedImages = maxQueuedImages;
        this.reserve = onePass;
        this.imagesPerSecond = imagesPerSecond;
        Gauge.builder(MetricNames.GENERATOR_QUEUED_IMAGES, queued, AtomicLong::get)
                .description("Images HTTP requests were admitted for and have not received yet")
                .baseUnit("images")
                .register(meters);
    }

    /**
     * Checks that the largest request can be admitted with one forward pass of room left for small ones.
     *
     * @throws IllegalArgumentException when {@code maxQueuedImages < largestRequest + onePass}, saying so
     */
    public static void check(long maxQueuedImages, int largestRequest, int onePass) {
        if (maxQueuedImages < (long) largestRequest + onePass) {
            throw new IllegalArgumentException("The most images queued (" + maxQueuedImages + ") must be at least the largest request ("
                    + largestRequest + ") plus one forward pass (" + onePass + "), so that the largest request can be admitted and "
                    + "still leave room for small ones.");
        }
    }

    /**
     * Admits a request for {@code count} images, or refuses it when they do not fit now.
     *
     * @return a ticket to close once the images are generated (or the request failed), or empty when refused
     */
    public Optional<Ticket> tryAdmit(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("A request cannot ask for " + count + " images.");
        }
        long limit = count > reserve ? maxQueuedImages - reserve : maxQueuedImages;
        while (true) {
            long now = queued.get();
            if (now + count > limit) {
                return Optional.empty();
            }
            if (queued.compareAndSet(now, now + count)) {
                return Optional.of(new Ticket(count));
            }
        }
    }

    /** Images admitted and not yet generated. */
    public long queued() {
        return queued.get();
    }

    /** The most images admitted at once. */
    public long maxQueuedImages() {
        return maxQueuedImages;
    }

    /** Whole seconds until what is queued now should be generated, at the recent rate: 1 to 60, 1 while the rate is unknown. */
    public long retryAfterSeconds() {
        double rate = imagesPerSecond.getAsDouble();
        if (!(rate > 0)) {
            return 1;
        }
        double seconds = Math.ceil(queued.get() / rate);
        return (long) Math.clamp(seconds, 1, MAX_RETRY_AFTER_SECONDS);
    }

    /** Images admitted for one request; closing gives them back (once, however often it is closed). */
    public final class Ticket implements AutoCloseable {

        private final int count;
        private boolean closed;

        private Ticket(int count) {
            this.count = count;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                queued.addAndGet(-count);
            }
        }
    }
}
