package dev.ganpipe.common;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a service has started so far, closed together in reverse start order. The service's {@code start} pushes each
 * part once it runs and, when a later part fails to start, closes the earlier ones before rethrowing; its
 * {@link Service#close()} closes them once. A part that fails to close does not keep the others open: its exception
 * is kept, suppressed, on the one thrown.
 */
public final class StartedParts {

    private final Deque<AutoCloseable> parts = new ArrayDeque<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Adds a part that has started; it closes before every part pushed earlier. */
    public void push(AutoCloseable part) {
        parts.push(part);
    }

    /**
     * Closes what has started after {@code failure} stopped the start part-way, adding each failure to close to it as
     * a suppressed exception; the caller then rethrows {@code failure}.
     */
    public void closeAfterFailedStart(Throwable failure) {
        closed.set(true);
        closeAll(failure);
    }

    /**
     * Closes every part the first time it is called; later calls do nothing.
     *
     * @param failureMessage the message of the exception thrown when a part fails to close, e.g. what to look at
     * @return whether this call closed the parts
     * @throws IllegalStateException with that message when a part failed to close, each such failure suppressed on it
     */
    public boolean closeOnce(String failureMessage) {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        IllegalStateException failure = new IllegalStateException(failureMessage);
        closeAll(failure);
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
        return true;
    }

    private void closeAll(Throwable failure) {
        while (!parts.isEmpty()) {
            try {
                parts.pop().close();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }
}
