package dev.ganpipe.common.http;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads and discards what is left of a refused request body after its answer is written, for a short while, before
 * the connection closes. A server that closes a socket with unread bytes in it makes the kernel send a reset, and a
 * client still sending its body (a 12 MiB upload refused with 413 after the first MiB) may then lose the answer
 * already in its receive buffer: it sees a reset where it should see a 413. Draining the rest, as nginx's
 * {@code lingering_close} does, lets the close be an orderly one. It is bounded by time, never by what the client
 * declared, so a client that never stops sending holds the connection for at most {@link #LINGER}.
 */
final class LingeringDrain {

    /** How long a refused body may keep its connection open while it is discarded. */
    static final Duration LINGER = Duration.ofSeconds(2);

    private LingeringDrain() {
    }

    /**
     * Discards the request's remaining content until it ends, fails or {@code linger} passes.
     *
     * @return whether the body was read to its end
     */
    static boolean discardRest(Request request, Duration linger) throws InterruptedException {
        long deadline = System.nanoTime() + linger.toNanos();
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                CompletableFuture<Void> more = new CompletableFuture<>();
                request.demand(() -> more.complete(null));
                try {
                    more.get(left, TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    // The client stopped sending without ending the body; the connection closes under it.
                    return false;
                } catch (ExecutionException e) {
                    throw new IllegalStateException("Waiting for the rest of a refused request body failed unexpectedly.", e.getCause());
                }
                continue;
            }
            boolean last = chunk.isLast();
            boolean failed = Content.Chunk.isFailure(chunk);
            chunk.release();
            if (last || failed) {
                return last && !failed;
            }
        }
    }
}
