package dev.ganpipe.common.image;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Deflater;

/**
 * Deflaters of one kind kept for reuse across encodes. zlib allocates some 270 KiB of state for each new stream and
 * frees it on {@link Deflater#end()}; a service that encodes a PNG per request, in 0.4 ms, would otherwise pay that
 * set-up three times per grid (its own stream and two halves). A reset deflater is as good as a new one. At most
 * {@link #KEEP} idle ones are kept; more returned at once are ended.
 */
final class DeflaterPool {

    /** Idle deflaters kept: enough for every core to encode two images at once. */
    static final int KEEP = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

    private final int level;
    private final boolean raw;
    private final ConcurrentLinkedQueue<Deflater> idle = new ConcurrentLinkedQueue<>();
    private final AtomicInteger idleCount = new AtomicInteger();

    DeflaterPool(int level, boolean raw) {
        this.level = level;
        this.raw = raw;
    }

    /** An idle deflater, or a new one; give it back with {@link #give} once its stream is done. */
    Deflater take() {
        Deflater deflater = idle.poll();
        if (deflater == null) {
            return new Deflater(level, raw);
        }
        idleCount.decrementAndGet();
        return deflater;
    }

    /** Resets {@code deflater} and keeps it for the next {@link #take}, or ends it when enough are idle. */
    void give(Deflater deflater) {
        deflater.reset();
        if (idleCount.incrementAndGet() <= KEEP) {
            idle.offer(deflater);
        } else {
            idleCount.decrementAndGet();
            deflater.end();
        }
    }

    /** Idle deflaters held now. */
    int idle() {
        return idleCount.get();
    }
}
