package dev.ganpipe.generator.continuous;

import dev.ganpipe.common.image.PngEncoder;
import dev.ganpipe.common.kafka.CloudEvents;
import dev.ganpipe.common.kafka.SyntheticImageHeaders;
import dev.ganpipe.common.metrics.MetricNames;
import dev.ganpipe.common.model.Noise;
import dev.ganpipe.common.time.Sleeper;
import dev.ganpipe.generator.images.GeneratedImages;
import dev.ganpipe.generator.images.Generation;
import dev.ganpipe.generator.model.LoadedModel;
import dev.ganpipe.generator.model.ModelChoiceException;
import dev.ganpipe.generator.model.ModelLease;
import dev.ganpipe.generator.stream.RequestTopology;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Continuous mode: publishes synthetic images at a set rate for consumers that just want a stream of augmentation
 * data. Image {@code n} (from 0 at start) is keyed {@code stream-<n>}, generated from seed {@code startSeed + n} as
 * image 0 of that seed (so {@code /v1/generate?format=png&seed=<gan.seed>} on the same model version gives the same
 * picture) and, for a conditional model, labelled from the label mix. It publishes the default model's images
 * ({@code --model-name}, or the only model served).
 *
 * <p>Pacing: image {@code n} is due at {@code start + n / rate}; each step makes every image due by now (at most
 * {@value #MAX_CHUNK} in one forward pass) and then sleeps until the next is due. When the service cannot keep up,
 * the backlog is capped at one second's worth: the schedule moves on rather than bursting later, and
 * {@code gan_generator_continuous_behind_seconds} shows the shortfall. Time comes from an injected clock and sleeper.
 */
public final class ContinuousPublisher implements AutoCloseable {

    /** Most images made in one forward pass when several are due. */
    static final int MAX_CHUNK = 64;
    /** How long to wait before looking again when no model is live or the label mix does not fit it. */
    static final Duration RETRY = Duration.ofSeconds(1);

    /** Why a due image was not published: the {@code reason} tag of {@code gan_generator_continuous_failures_total}. */
    public enum Failure {
        /** No generator model was live. */
        NO_MODEL("no_model"),
        /** The label mix names a class the live conditional model does not have. */
        BAD_LABEL("bad_label"),
        /** The forward pass failed. */
        GENERATE_FAILED("generate_failed"),
        /** The broker did not take the image. */
        SEND_FAILED("send_failed");

        private final String code;

        Failure(String code) {
            this.code = code;
        }

        /** The tag value. */
        public String code() {
            return code;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ContinuousPublisher.class);
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final ContinuousSettings settings;
    private final Generation generation;
    private final ImageSink sink;
    private final Clock clock;
    private final Sleeper sleeper;
    private final CloudEvents events;
    private final Counter published;
    private final Map<Failure, Counter> failures = new EnumMap<>(Failure.class);
    private final AtomicBoolean sendFailing = new AtomicBoolean();
    private final AtomicReference<Double> behindSeconds = new AtomicReference<>(0.0);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile Thread thread;
    // Only the publishing thread touches these.
    private Instant start;
    private long next;
    private String problem;
    private boolean warnedBehind;

    /**
     * @param settings rate, start seed and label mix; the rate must be positive
     * @param sink where the images go
     * @param clock time for the pacing and the {@code ce_time} headers
     * @param sleeper waits between steps
     */
    public ContinuousPublisher(ContinuousSettings settings, Generation generation, ImageSink sink, MeterRegistry meters, Clock clock,
            Sleeper sleeper) {
        if (!settings.enabled()) {
            throw new IllegalArgumentException("Continuous mode needs a rate above 0 images/s; leave it off with --continuous-rate 0.");
        }
        this.settings = settings;
        this.generation = generation;
        this.sink = sink;
        this.clock = clock;
        this.sleeper = sleeper;
        this.events = new CloudEvents(RequestTopology.EVENT_SOURCE, clock);
        this.published = Counter.builder(MetricNames.GENERATOR_CONTINUOUS_IMAGES).baseUnit("images")
                .description("Images continuous mode published to synthetic.images").register(meters);
        for (Failure failure : Failure.values()) {
            failures.put(failure, Counter.builder(MetricNames.GENERATOR_CONTINUOUS_FAILURES).tag(MetricNames.TAG_REASON, failure.code())
                    .description("Continuous-mode images that were due but not published, by reason").register(meters));
        }
        Gauge.builder(MetricNames.GENERATOR_CONTINUOUS_TARGET_RATE, settings, ContinuousSettings::rate)
                .description("The configured continuous rate, images per second").strongReference(true).register(meters);
        Gauge.builder(MetricNames.GENERATOR_CONTINUOUS_BEHIND, behindSeconds, AtomicReference::get)
                .description("How far continuous mode runs behind its schedule, seconds").strongReference(true).register(meters);
    }

    /** Starts publishing on a daemon thread named {@code generator-continuous}. */
    public ContinuousPublisher start() {
        LOG.info("Continuous mode publishes {} images/s to synthetic.images from start seed {}{}; image n has seed {} + n and key stream-<n>.",
                settings.rate(), settings.startSeed(), settings.labels().isEmpty() ? "" : " with label mix " + settings.labels(),
                settings.startSeed());
        thread = Thread.ofPlatform().name("generator-continuous").daemon(true).start(this::run);
        return this;
    }

    /** How many images were handed to the sink so far (the next image's index). */
    long next() {
        return next;
    }

    /**
     * Makes and sends every image due by now (at most {@value #MAX_CHUNK}), and says how long to wait for the next.
     * Package-private so tests drive the pacing with a fake clock.
     */
    Duration step() {
        Instant now = clock.instant();
        if (start == null) {
            start = now;
        }
        long due = dueBy(now);
        long backlog = due - next;
        behindSeconds.set(Math.max(0, backlog - 1) / settings.rate());
        long limit = Math.max(1, (long) Math.ceil(settings.rate()));
        if (backlog > limit) {
            if (!warnedBehind) {
                LOG.warn("Continuous mode cannot keep up with {} images/s (more than a second behind); it publishes as fast as it can and "
                        + "gan_generator_continuous_behind_seconds shows the shortfall. Lower --continuous-rate.", settings.rate());
                warnedBehind = true;
            }
            restartScheduleAt(now);
            backlog = 1;
        }
        if (backlog > 0) {
            int count = (int) Math.min(backlog, MAX_CHUNK);
            long before = next;
            Optional<Failure> failure = publish(count);
            if (failure.isPresent()) {
                // Every image due but not handed over counts (those handed over before a send failure moved next on).
                failures.get(failure.get()).increment(Math.max(1, backlog - (next - before)));
                // Nothing is owed for the time without a model: the schedule starts again once it can be kept.
                restartScheduleAt(now.plus(RETRY));
                return RETRY;
            }
        }
        Duration wait = Duration.between(clock.instant(), dueAt(next));
        return wait.isNegative() ? Duration.ZERO : wait;
    }

    /** Stops publishing (the current step finishes) and closes the sink; safe to call twice. */
    @Override
    public void close() {
        running.set(false);
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                LOG.warn("The continuous publisher did not stop within 30 s; it is a daemon thread and ends with the JVM.");
            }
        }
        sink.close();
    }

    private void run() {
        try {
            while (running.get()) {
                Duration wait = step();
                if (wait.isPositive()) {
                    sleeper.sleep(wait);
                }
            }
        } catch (InterruptedException e) {
            if (running.get()) {
                LOG.error("The continuous publisher was interrupted while the service runs; continuous mode stops until a restart.", e);
            }
        } catch (RuntimeException e) {
            LOG.error("Continuous mode failed unexpectedly and stopped; the HTTP API and the request stream keep serving. Restart the "
                    + "service to resume it.", e);
        }
    }

    /** Makes and sends images {@code next .. next+count-1}; empty on success, else why nothing was published. */
    private Optional<Failure> publish(int count) {
        Optional<ModelLease> acquired;
        try {
            acquired = generation.acquire();
        } catch (ModelChoiceException severalWithoutDefault) {
            return report(Failure.NO_MODEL, "it publishes the default model's images, but several models are served and no "
                    + "--model-name chose the default; set --model-name");
        }
        if (acquired.isEmpty()) {
            return report(Failure.NO_MODEL, "no generator model is live yet; it starts as soon as one is");
        }
        try (ModelLease lease = acquired.get(); PngEncoder encoder = GeneratedImages.pngEncoder()) {
            LoadedModel model = lease.model();
            long[] labels = labels(model, count);
            if (model.generator().conditional() && labels == null) {
                return report(Failure.BAD_LABEL, "the label mix " + settings.labels() + " names a class that model v" + model.version()
                        + " does not have (it has " + model.generator().classNames().size() + "); fix --continuous-labels");
            }
            int nz = model.generator().noiseDim();
            float[] z = new float[count * nz];
            for (int i = 0; i < count; i++) {
                System.arraycopy(Noise.gaussian(settings.startSeed() + next + i, 1, nz), 0, z, i * nz, nz);
            }
            GeneratedImages images;
            try {
                images = generation.generate(model, z, labels, count);
            } catch (RuntimeException e) {
                LOG.debug("Generating continuous-mode images {} to {} failed.", next, next + count - 1, e);
                return report(Failure.GENERATE_FAILED, "generating images failed (" + e.getMessage() + ")");
            }
            if (problem != null) {
                LOG.info("Continuous mode publishes again with model v{}.", model.version());
                problem = null;
            }
            long first = next;
            for (int i = 0; i < count; i++) {
                long n = first + i;
                long seed = settings.startSeed() + n;
                Headers headers = new SyntheticImageHeaders(model.manifest().name(), model.version(), seed, 0, images.label(i), model.generator().shape(),
                        images.confidence(i)).write(events, "stream-" + n + "-seed-" + seed);
                try {
                    sink.send("stream-" + n, encoder.encode(images.images().get(i)), headers, this::sent);
                } catch (RuntimeException e) {
                    // The producer refused at once (e.g. its buffer stayed full for max.block.ms while the broker is away);
                    // the images not handed over are counted by the caller.
                    if (sendFailing.compareAndSet(false, true)) {
                        LOG.warn("Continuous mode could not publish to synthetic.images ({}); it keeps trying, and logs again when it "
                                + "succeeds.", e.toString(), e);
                    }
                    return Optional.of(Failure.SEND_FAILED);
                }
                next = n + 1;
            }
            return Optional.empty();
        }
    }

    /** The labels of the next {@code count} images; null for an unconditional model or a mix that does not fit. */
    private long[] labels(LoadedModel model, int count) {
        if (!model.generator().conditional()) {
            return null;
        }
        int classes = model.generator().classNames().size();
        // The whole mix must fit the model, not just the labels due now: a mix that names a missing class is refused at once.
        if (settings.labels().stream().anyMatch(label -> label >= classes)) {
            return null;
        }
        long[] labels = new long[count];
        for (int i = 0; i < count; i++) {
            long n = next + i;
            labels[i] = settings.labels().isEmpty() ? n % classes : settings.labels().get((int) (n % settings.labels().size()));
        }
        return labels;
    }

    private void sent(Exception failure) {
        if (failure == null) {
            published.increment();
            if (sendFailing.compareAndSet(true, false)) {
                LOG.info("Continuous mode reaches Kafka again.");
            }
            return;
        }
        failures.get(Failure.SEND_FAILED).increment();
        if (sendFailing.compareAndSet(false, true)) {
            LOG.warn("Continuous mode could not publish to synthetic.images ({}); it keeps trying, and logs again when it succeeds.",
                    failure.toString(), failure);
        }
    }

    private Optional<Failure> report(Failure failure, String why) {
        if (!why.equals(problem)) {
            LOG.warn("Continuous mode is paused: {}.", why);
            problem = why;
        }
        return Optional.of(failure);
    }

    /** How many images are due by {@code now}: image n is due at start + n / rate. */
    private long dueBy(Instant now) {
        long elapsed = Duration.between(start, now).toNanos();
        if (elapsed < 0) {
            return next;
        }
        return (long) Math.floor(elapsed / (double) NANOS_PER_SECOND * settings.rate()) + 1;
    }

    private Instant dueAt(long n) {
        return start.plusNanos(Math.round(n * (NANOS_PER_SECOND / settings.rate())));
    }

    /** Moves the schedule so that image {@code next} is due at {@code at}. */
    private void restartScheduleAt(Instant at) {
        start = at.minusNanos(Math.round(next * (NANOS_PER_SECOND / settings.rate())));
    }
}
