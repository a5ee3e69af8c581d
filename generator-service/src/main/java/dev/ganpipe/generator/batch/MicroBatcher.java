package dev.ganpipe.generator.batch;

import dev.ganpipe.common.metrics.MetricNames;
import dev.ganpipe.common.model.onnx.GeneratorOutput;
import dev.ganpipe.generator.model.LoadedModel;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges concurrent generate calls into forward passes of at most {@code maxBatch} images, and shares each pass fairly
 * between the calls waiting: one dispatcher thread keeps every unfinished call, and each pass gives every call of one
 * model an equal share of its rows (a call that needs less than its share gets all it needs, the rest is shared among
 * the others). So a large call is generated in chunks that take turns with other calls' chunks, and a small call waits
 * for about one pass, not for every large call ahead of it. A call's first pass waits up to {@code maxWait} for company
 * while fewer than {@code maxBatch} rows and fewer calls than the previous pass expected are waiting: the calls that
 * pass served plus those that arrived while it ran. A lone client asking one request after another therefore never
 * waits (nobody would join it; the wait cost it 2 ms of a 17 ms {@code count=64} request), and 32 clients asking for
 * one image each are dispatched the moment the 32nd request is in, not {@code maxWait} later (which cost a quarter of
 * their throughput); clients that come and go move the expectation with them. Calls on different models (a swap in
 * between) are never merged.
 *
 * <p>A call's rows of noise are its own, so an image does not depend on its neighbours in the batch or on how its call
 * was split, as long as the generator computes each row independently, which inference-mode convolutions and batch
 * norm do. One forward pass runs at a time (ONNX Runtime parallelises inside a pass), so load queues up instead of
 * oversubscribing the CPU; {@link ImageAdmission} bounds how much may queue. Passes run on the dispatcher thread,
 * except that a call of {@value #ALONE_FROM_IMAGES} images or more arriving while the batcher is idle, after a pass
 * that served one call alone, runs its own pass on its own thread: the lone client asking one request after another,
 * whom nobody would join. That saves two thread hand-offs per request (a virtual thread's wake-up included), measured at
 * 0.2 to 0.4 ms on a 2-core machine.
 *
 * <p>Callers must hold a lease on the model until {@link #generate} returns.
 */
public final class MicroBatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MicroBatcher.class);
    // Weight of the newest pass in the throughput estimate: a few passes smooth out one slow pass.
    private static final double RATE_WEIGHT = 0.2;
    /**
     * The fewest images for which a lone call may run its own pass. A pass of 32 images costs per image what one of 64
     * does ({@code ./gan bench generator}: 31.5-image passes of merged count=1 calls against count=64 passes), so such a call
     * loses nothing by running alone; smaller ones keep going through the dispatcher, which merges whatever queued
     * meanwhile (on a loaded 2-core machine, four clients asking for 2 images each would otherwise take turns alone).
     */
    static final int ALONE_FROM_IMAGES = 32;

    private final int maxBatch;
    private final long maxWaitNanos;
    private final DistributionSummary batchSize;
    private final Timer forwardTime;
    private final BlockingQueue<Call> queue = new LinkedBlockingQueue<>();
    private final Thread dispatcher;
    private volatile boolean running = true;
    private volatile double imagesPerSecond = Double.NaN;
    // Held by whoever runs a forward pass, the dispatcher or a lone caller, so that one runs at a time.
    private final ReentrantLock passing = new ReentrantLock();
    // Whether the dispatcher waits for a call with nothing in hand: then a lone caller may run its own pass.
    private volatile boolean dispatcherIdle;
    // Calls the next pass can expect: the last pass's calls and those that arrived while it ran. Written under passing.
    private volatile int expectedCalls = 1;
    private volatile long passesOnCallers; // passes a lone caller ran on its own thread, for tests
    private volatile long fullWaits; // waits for company that ran to maxWait, for tests

    /**
     * Starts the dispatcher thread.
     *
     * @param maxBatch most images in one forward pass
     * @param maxWait longest the first pass of a call waits for company
     */
    public MicroBatcher(int maxBatch, Duration maxWait, MeterRegistry meters) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("The largest batch must be at least 1 image, but was " + maxBatch + ".");
        }
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("The batching wait must not be negative, but was " + maxWait + ".");
        }
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        this.batchSize = DistributionSummary.builder(MetricNames.GENERATOR_BATCH_SIZE)
                .description("Images per ONNX Runtime forward pass")
                .register(meters);
        this.forwardTime = Timer.builder(MetricNames.GENERATOR_FORWARD)
                .description("Time of each ONNX Runtime forward pass (the rest of a request's time is spent around the model)")
                .register(meters);
        this.dispatcher = Thread.ofPlatform().name("generator-batcher").daemon(true).start(this::dispatch);
    }

    /**
     * Generates {@code count} images from {@code z}, batched with whatever else is waiting for the same model.
     *
     * <p>The wait is not interruptible: the caller's lease must outlive the forward pass that uses its model, so an
     * interrupt is remembered and re-asserted once the answer is in. Every call is answered, by a result or an error.
     *
     * @param z {@code count * nz} noise values, row-major
     * @return {@code count * C * H * W} floats, NCHW
     * @throws IllegalStateException when the forward pass fails or the batcher is closed
     */
    public float[] generate(LoadedModel model, float[] z, int count) {
        return generate(model, z, null, count);
    }

    /**
     * As {@link #generate(LoadedModel, float[], int)}, with one label per image for a conditional model.
     *
     * @param labels {@code count} labels for a conditional model, null for an unconditional one
     * @throws IllegalArgumentException when the labels do not fit the model (checked before anything is queued, so
     *     one bad call never fails a batch it would have joined)
     */
    public float[] generate(LoadedModel model, float[] z, long[] labels, int count) {
        return forward(model, z, labels, count).images();
    }

    /**
     * As {@link #generate(LoadedModel, float[], long[], int)}, with each image's confidence for its label when the model
     * ships its classifier.
     */
    public GeneratorOutput forward(LoadedModel model, float[] z, long[] labels, int count) {
        checkLabels(model, labels, count);
        if (count == 0) {
            return new GeneratorOutput(new float[0], model.generator().hasConfidence() ? new float[0] : null);
        }
        Call call = new Call(model, z, labels, count);
        if (!running) {
            throw closedError();
        }
        Optional<GeneratorOutput> own = runAlone(call);
        if (own.isPresent()) {
            return own.get();
        }
        queue.add(call);
        if (!running && queue.remove(call)) {
            throw closedError();
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return call.result.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException re ? re
                            : new IllegalStateException("The batched forward pass failed: " + e.getCause(), e.getCause());
                } catch (CancellationException e) {
                    throw closedError();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Runs {@code call} as a pass of its own on the caller's thread when nothing else is going on and the last pass
     * served one call alone; empty otherwise (or when another pass got there first), and the call queues as usual.
     */
    private Optional<GeneratorOutput> runAlone(Call call) {
        if (call.count > maxBatch || call.count < Math.min(ALONE_FROM_IMAGES, maxBatch) || expectedCalls > 1 || !dispatcherIdle
                || !queue.isEmpty() || !passing.tryLock()) {
            return Optional.empty();
        }
        try {
            if (!dispatcherIdle || !queue.isEmpty() || !running) {
                return Optional.empty(); // a call came in, or the batcher closed, between the checks and the lock
            }
            GeneratorOutput out = timedForward(call.model, call.z, call.labels, call.count);
            expectedCalls = 1 + queue.size();
            passesOnCallers++;
            return Optional.of(out);
        } finally {
            passing.unlock();
        }
    }

    /** Passes a lone caller ran on its own thread. */
    long passesOnCallers() {
        return passesOnCallers;
    }

    /** The most images one forward pass takes. */
    public int maxBatch() {
        return maxBatch;
    }

    /** How many waits for company ran their full {@code maxWait} (the expected company did not come). */
    long fullWaits() {
        return fullWaits;
    }

    /** Images per second of forward-pass time over the last few passes; NaN before the first pass. */
    public double imagesPerSecond() {
        return imagesPerSecond;
    }

    /** Stops the dispatcher; calls still waiting fail with a "shutting down" error. Safe to call twice. */
    @Override
    public void close() {
        running = false;
        dispatcher.interrupt();
        try {
            dispatcher.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failWaiting();
    }

    private static void checkLabels(LoadedModel model, long[] labels, int count) {
        List<String> classes = model.generator().classNames();
        if (classes.isEmpty()) {
            if (labels != null) {
                throw new IllegalArgumentException("Model v" + model.version() + " is unconditional; it takes no labels.");
            }
            return;
        }
        if (labels == null || labels.length < count) {
            throw new IllegalArgumentException("Model v" + model.version() + " is conditional: " + count + " images need " + count
                    + " labels, but " + (labels == null ? "none" : labels.length) + " were given.");
        }
        for (int i = 0; i < count; i++) {
            if (labels[i] < 0 || labels[i] >= classes.size()) {
                throw new IllegalArgumentException("Label " + labels[i] + " is not one of model v" + model.version() + "'s "
                        + classes.size() + " classes (0 to " + (classes.size() - 1) + ").");
            }
        }
    }

    private void dispatch() {
        // Unfinished calls in turn order; touched only by this thread.
        Deque<Call> active = new ArrayDeque<>();
        try {
            while (running) {
                if (active.isEmpty()) {
                    dispatcherIdle = true;
                    try {
                        active.add(queue.take());
                    } finally {
                        dispatcherIdle = false;
                    }
                }
                queue.drainTo(active);
                waitForCompany(active);
                List<Share> pass = FairShares.of(active, maxBatch);
                run(pass, active.size());
                // Calls that got no rows this pass (another model's, or a short pass) go first next time.
                // Plain loops: this runs once per pass, and streams showed up in the dispatcher's profile.
                Deque<Call> next = new ArrayDeque<>(active.size());
                for (Call call : active) {
                    if (!call.served && !call.result.isDone()) {
                        next.add(call);
                    }
                }
                for (Call call : active) {
                    if (call.served && !call.result.isDone()) {
                        call.served = false;
                        next.add(call);
                    }
                }
                active = next;
            }
        } catch (InterruptedException e) {
            if (running) {
                LOG.error("The batching thread was interrupted while the service runs; generate calls fail until a restart.", e);
            }
        } finally {
            // However the loop ended, no caller is left waiting for an answer that will never come.
            running = false;
            active.forEach(call -> call.result.completeExceptionally(closedError()));
            failWaiting();
        }
    }

    /**
     * A pass with room to spare waits up to {@code maxWait} for more calls, as long as some call has not run yet and
     * fewer calls are waiting than the previous pass expected.
     */
    private void waitForCompany(Deque<Call> active) throws InterruptedException {
        if (maxWaitNanos == 0 || !anyNotStarted(active)) {
            return;
        }
        long deadline = System.nanoTime() + maxWaitNanos;
        while (active.size() < expectedCalls && waitingRows(active) < maxBatch) {
            long left = deadline - System.nanoTime();
            Call next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
            if (next == null) {
                fullWaits++;
                return;
            }
            active.add(next);
            queue.drainTo(active);
        }
    }

    private static boolean anyNotStarted(Deque<Call> active) {
        for (Call call : active) {
            if (call.done == 0) {
                return true;
            }
        }
        return false;
    }

    private static long waitingRows(Deque<Call> active) {
        long rows = 0;
        for (Call call : active) {
            rows += call.count - call.done;
        }
        return rows;
    }

    /** Runs one pass and answers its calls; {@code activeCalls} is how many unfinished calls the dispatcher holds. */
    private void run(List<Share> pass, int activeCalls) {
        LoadedModel model = pass.getFirst().call().model;
        int nz = model.generator().noiseDim();
        int values = model.generator().valuesPerImage();
        int images = pass.stream().mapToInt(Share::rows).sum();
        try {
            float[] z;
            long[] labels;
            Share only = pass.getFirst();
            if (pass.size() == 1 && only.rows() == only.call().count) {
                // One whole call: its own arrays, no copy.
                z = only.call().z;
                labels = only.call().labels;
            } else {
                z = new float[images * nz];
                labels = model.generator().conditional() ? new long[images] : null;
                int row = 0;
                for (Share share : pass) {
                    Call call = share.call();
                    System.arraycopy(call.z, call.done * nz, z, row * nz, share.rows() * nz);
                    if (labels != null) {
                        System.arraycopy(call.labels, call.done, labels, row, share.rows());
                    }
                    row += share.rows();
                }
            }
            GeneratorOutput out;
            passing.lock();
            try {
                out = timedForward(model, z, labels, images);
                // Counted before anyone is answered: an answered caller may ask again at once, and is counted already.
                expectedCalls = pass.size() + queue.size();
            } finally {
                passing.unlock();
            }
            // A pass that finishes every call the dispatcher holds leaves it idle: say so before answering, so that a
            // lone caller asking again at once finds it idle and runs its next pass itself.
            if (pass.size() == activeCalls && finishesEveryCall(pass)) {
                dispatcherIdle = true;
            }
            int row = 0;
            for (Share share : pass) {
                share.call().take(out, row, share.rows(), values);
                row += share.rows();
            }
        } catch (RuntimeException e) {
            // Each caller in the pass gets the failure and answers its request with it; the dispatcher carries on.
            expectedCalls = pass.size() + queue.size();
            pass.forEach(share -> share.call().result.completeExceptionally(e));
        }
    }

    private static boolean finishesEveryCall(List<Share> pass) {
        for (Share share : pass) {
            if (share.call().done + share.rows() < share.call().count) {
                return false;
            }
        }
        return true;
    }

    /** One forward pass, timed and counted. */
    private GeneratorOutput timedForward(LoadedModel model, float[] z, long[] labels, int images) {
        long start = System.nanoTime();
        GeneratorOutput out = model.generator().forward(z, labels, images);
        long nanos = System.nanoTime() - start;
        recordRate(images, nanos);
        forwardTime.record(nanos, TimeUnit.NANOSECONDS);
        batchSize.record(images);
        return out;
    }

    private void recordRate(int images, long nanos) {
        double rate = images / Math.max(1e-9, nanos / 1e9);
        double previous = imagesPerSecond;
        imagesPerSecond = Double.isNaN(previous) ? rate : previous + RATE_WEIGHT * (rate - previous);
    }

    private void failWaiting() {
        Call call;
        while ((call = queue.poll()) != null) {
            call.result.completeExceptionally(closedError());
        }
    }

    private static IllegalStateException closedError() {
        return new IllegalStateException("The generator is shutting down; retry against another instance.");
    }
}
