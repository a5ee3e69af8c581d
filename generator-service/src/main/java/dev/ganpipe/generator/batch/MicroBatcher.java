package dev.ganpipe.generator.batch;

import dev.ganpipe.common.metrics.MetricNames;
import dev.ganpipe.generator.model.LoadedModel;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges concurrent generate calls into one forward pass: one dispatcher thread takes the first waiting call, then
 * gathers more calls for the same model until {@code maxBatch} images or {@code maxWait} have passed, runs them
 * as one batch and hands each caller its slice. Calls on different models (a swap in between) are never merged.
 *
 * <p>A call's rows of noise are its own, so an image does not depend on its neighbours in the batch as long as the
 * generator computes each row independently, which inference-mode convolutions and batch norm do. A call of
 * {@code maxBatch} images or more runs alone, in chunks of {@code maxBatch}. All forward passes run on the one
 * dispatcher thread (ONNX Runtime parallelises inside a pass), so load queues up instead of oversubscribing the CPU.
 *
 * <p>Callers must hold a lease on the model until {@link #generate} returns.
 */
public final class MicroBatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MicroBatcher.class);

    // labels is null for an unconditional model.
    private record Call(LoadedModel model, float[] z, long[] labels, int count, CompletableFuture<float[]> result) {
    }

    private final int maxBatch;
    private final long maxWaitNanos;
    private final DistributionSummary batchSize;
    private final BlockingQueue<Call> queue = new LinkedBlockingQueue<>();
    private final Thread dispatcher;
    private volatile boolean running = true;

    /**
     * Starts the dispatcher thread.
     *
     * @param maxBatch most images in one forward pass
     * @param maxWait longest the first call of a batch waits for company
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
        checkLabels(model, labels, count);
        Call call = new Call(model, z, labels, count, new CompletableFuture<>());
        if (!running) {
            throw closedError();
        }
        queue.add(call);
        if (!running && queue.remove(call)) {
            throw closedError();
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return call.result().get();
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

    /** The most images one forward pass takes. */
    public int maxBatch() {
        return maxBatch;
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

    private void runAlone(Call call) {
        try {
            call.result().complete(runChunked(call.model(), call.z(), call.labels(), call.count()));
        } catch (RuntimeException e) {
            call.result().completeExceptionally(e);
        }
    }

    private float[] runChunked(LoadedModel model, float[] z, long[] labels, int count) {
        int nz = model.generator().noiseDim();
        int values = model.generator().valuesPerImage();
        float[] out = new float[Math.multiplyExact(count, values)];
        for (int start = 0; start < count; start += maxBatch) {
            int n = Math.min(maxBatch, count - start);
            float[] chunk = new float[n * nz];
            System.arraycopy(z, start * nz, chunk, 0, n * nz);
            long[] chunkLabels = labels == null ? null : Arrays.copyOfRange(labels, start, start + n);
            float[] images = model.generator().generate(chunk, chunkLabels, n);
            batchSize.record(n);
            System.arraycopy(images, 0, out, start * values, images.length);
        }
        return out;
    }

    private void dispatch() {
        Call carried = null;
        List<Call> batch = List.of();
        try {
            while (running) {
                Call first = carried != null ? carried : queue.take();
                carried = null;
                batch = new ArrayList<>();
                batch.add(first);
                int images = first.count();
                if (images >= maxBatch) {
                    runAlone(first);
                    batch = List.of();
                    continue;
                }
                long deadline = System.nanoTime() + maxWaitNanos;
                while (images < maxBatch) {
                    long left = deadline - System.nanoTime();
                    // Past the deadline we still take what is already queued, without waiting for more.
                    Call next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    if (next.model() != first.model() || images + next.count() > maxBatch) {
                        carried = next;
                        break;
                    }
                    batch.add(next);
                    images += next.count();
                }
                run(batch, images);
                batch = List.of();
            }
        } catch (InterruptedException e) {
            if (running) {
                LOG.error("The batching thread was interrupted while the service runs; generate calls fail until a restart.", e);
            }
        } finally {
            // However the loop ended, no caller is left waiting for an answer that will never come.
            running = false;
            batch.forEach(call -> call.result().completeExceptionally(closedError()));
            if (carried != null) {
                carried.result().completeExceptionally(closedError());
            }
            failWaiting();
        }
    }

    private void run(List<Call> batch, int images) {
        LoadedModel model = batch.getFirst().model();
        try {
            float[] z;
            long[] labels;
            int nz = model.generator().noiseDim();
            if (batch.size() == 1) {
                z = batch.getFirst().z();
                labels = batch.getFirst().labels();
            } else {
                z = new float[images * nz];
                labels = model.generator().conditional() ? new long[images] : null;
                int offset = 0;
                int row = 0;
                for (Call call : batch) {
                    System.arraycopy(call.z(), 0, z, offset, call.count() * nz);
                    offset += call.count() * nz;
                    if (labels != null) {
                        System.arraycopy(call.labels(), 0, labels, row, call.count());
                    }
                    row += call.count();
                }
            }
            float[] out = model.generator().generate(z, labels, images);
            batchSize.record(images);
            int values = model.generator().valuesPerImage();
            int offset = 0;
            for (Call call : batch) {
                float[] slice = new float[call.count() * values];
                System.arraycopy(out, offset, slice, 0, slice.length);
                offset += slice.length;
                call.result().complete(slice);
            }
        } catch (RuntimeException e) {
            // Each caller gets the failure and answers its request with it; the dispatcher carries on.
            batch.forEach(call -> call.result().completeExceptionally(e));
        }
    }

    private void failWaiting() {
        Call call;
        while ((call = queue.poll()) != null) {
            call.result().completeExceptionally(closedError());
        }
    }

    private static IllegalStateException closedError() {
        return new IllegalStateException("The generator is shutting down; retry against another instance.");
    }
}
