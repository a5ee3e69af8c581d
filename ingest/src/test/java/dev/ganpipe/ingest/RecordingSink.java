package dev.ganpipe.ingest;

import dev.ganpipe.ingest.publish.RawImage;
import dev.ganpipe.ingest.publish.RawSink;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** An in-memory {@link RawSink}: acknowledges at once, or fails every send from a given index on. */
public final class RecordingSink implements RawSink {

    private final List<RawImage> sent = new CopyOnWriteArrayList<>();
    private final int failFrom;
    private volatile int flushes;
    private volatile boolean closed;

    private RecordingSink(int failFrom) {
        this.failFrom = failFrom;
    }

    public static RecordingSink acknowledging() {
        return new RecordingSink(Integer.MAX_VALUE);
    }

    /** A sink whose sends fail from the {@code index}-th on (0-based), as a broker that went away. */
    public static RecordingSink failingFrom(int index) {
        return new RecordingSink(index);
    }

    @Override
    public CompletableFuture<Void> send(RawImage image) {
        if (sent.size() >= failFrom) {
            return CompletableFuture.failedFuture(new IllegalStateException("broker unavailable"));
        }
        sent.add(image);
        return CompletableFuture.completedFuture(null);
    }

    /** All or none, as the Kafka sink's transaction: none is kept when any would fail. */
    @Override
    public synchronized CompletableFuture<Void> sendAll(List<RawImage> images) {
        if (sent.size() + images.size() > failFrom) {
            return CompletableFuture.failedFuture(new IllegalStateException("broker unavailable"));
        }
        sent.addAll(images);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void flush() {
        flushes++;
    }

    @Override
    public void close() {
        closed = true;
    }

    public List<RawImage> sent() {
        return List.copyOf(sent);
    }

    public int flushes() {
        return flushes;
    }

    public boolean closed() {
        return closed;
    }
}
