package dev.ganpipe.common.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.AsynchronousCloseException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request body read on a virtual thread of its own, so that the handler's thread can give up on a client that sends
 * too slowly ({@link BodyPace}) while the read is blocked on the socket: the JDK server has no read timeout. The
 * handler answers 408; {@link HttpService} writes that answer and only then {@link #abandon()}s the reader, whose
 * interrupt closes the connection (closing an interruptible channel is the one way to end a blocked read, and the JDK
 * server would otherwise wait for the rest of the body before it let the exchange go).
 *
 * <p>A client that goes away mid-body is the client's error, not the service's: 400 {@code incomplete_body} (or 408
 * when the JDK server closed the connection at its whole-request limit), logged at debug without a stack trace.
 */
final class PacedBody {

    private static final Logger LOG = LoggerFactory.getLogger(PacedBody.class);
    /** How long {@link #abandon()} waits for the interrupted reader; its read ends as soon as the channel is closed. */
    private static final Duration ABANDON_WAIT = Duration.ofSeconds(5);

    private final InputStream in;
    private final BodyPace pace;
    private final AtomicLong received = new AtomicLong();
    private volatile Thread reader;
    /** The reader's outcome: done once it has stopped reading (its thread may live a moment longer). */
    private volatile CompletableFuture<byte[]> result;
    private volatile boolean abandoned;

    PacedBody(InputStream in, BodyPace pace) {
        this.in = in;
        this.pace = pace;
    }

    /**
     * Reads the whole body, at most {@code limit} bytes, charging each chunk to {@code allowance}.
     *
     * @throws HttpError 408 when the body arrives slower than the pace, 413 over the limit, 400 when the client went
     *     away mid-body, or whatever the allowance refuses with
     */
    byte[] readAll(int limit, BodyAllowance allowance) throws InterruptedException {
        if (reader != null) {
            throw new IllegalStateException("The request body was read already; a handler reads it once.");
        }
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        this.result = result;
        long start = System.nanoTime();
        reader = Thread.ofVirtual().name("http-body-reader").start(() -> read(limit, allowance, result));
        while (true) {
            long elapsed = System.nanoTime() - start;
            long left = pace.nanosLeft(received.get(), elapsed);
            if (left <= 0 && !result.isDone()) {
                throw new HttpError(408, "request_timeout", pace.tooSlow(received.get(), elapsed));
            }
            try {
                return result.get(Math.max(left, 0), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // The deadline for the bytes seen so far passed; the loop sets a new one if more arrived meanwhile.
                continue;
            } catch (ExecutionException e) {
                throw rethrown(e.getCause());
            }
        }
    }

    /** Whether no handler read the body (e.g. a 401 answered before it): what of it is still on the wire is unknown. */
    boolean neverRead() {
        return reader == null;
    }

    /**
     * Whether part of the body may still be on the wire once the answer is out: no handler read it, or its reader
     * stopped before the end (a 413 over the handler's own limit). An unfinished read is {@link #unfinished()} instead.
     */
    boolean leftUnread(boolean bodyDeclared) {
        if (neverRead()) {
            return bodyDeclared;
        }
        return result.isCompletedExceptionally();
    }

    /** Whether a reader is still waiting on the client, so the connection cannot be reused after the answer. */
    boolean unfinished() {
        // Not the thread's liveness: a reader that refused the body (413) is still alive while it returns, and
        // taking it for a slow one would close the connection under a client that is still sending.
        return reader != null && !result.isDone();
    }

    /**
     * Ends a read still blocked on the client by closing the connection under it (the interrupt closes the channel).
     * Call only once the answer is written and flushed: nothing can be sent on the connection afterwards.
     */
    void abandon() throws InterruptedException {
        Thread t = reader;
        if (t == null || result.isDone()) {
            return;
        }
        abandoned = true;
        t.interrupt();
        if (!t.join(ABANDON_WAIT)) {
            LOG.warn("A request body reader did not stop within {} after its connection was closed; it ends when the JDK server "
                    + "closes the connection at its request time limit.", ABANDON_WAIT);
        }
    }

    private void read(int limit, BodyAllowance allowance, CompletableFuture<byte[]> result) {
        ChunkedBytes body = new ChunkedBytes();
        try {
            for (int n = body.readFrom(in); n >= 0; n = body.readFrom(in)) {
                if (body.size() > limit) {
                    throw HttpError.tooLarge("The request body is larger than the limit of " + limit + " bytes.");
                }
                allowance.take(n);
                received.addAndGet(n);
            }
            result.complete(body.toArray());
        } catch (IOException e) {
            result.completeExceptionally(clientGone(e));
        } catch (RuntimeException | Error e) {
            result.completeExceptionally(e);
        }
    }

    private HttpError clientGone(IOException e) {
        if (abandoned) {
            // Already answered (408) and closed by abandon(); nobody reads this.
            return new HttpError(408, "request_timeout", "The request body arrived too slowly.");
        }
        LOG.debug("A client went away, or was cut off, after {} bytes of its request body: {}", received.get(), e.toString());
        if (e instanceof AsynchronousCloseException) {
            // The JDK server closes a connection whose request takes longer than its request time limit.
            return new HttpError(408, "request_timeout", "The connection was closed before the request body was complete: the whole "
                    + "request took longer than this service allows; send the body at once, as fast as the network allows.");
        }
        return new HttpError(400, "incomplete_body", "The connection ended before the request body was complete; send the whole body.");
    }

    private static RuntimeException rethrown(Throwable cause) {
        if (cause instanceof RuntimeException r) {
            return r;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new IllegalStateException("Reading the request body failed unexpectedly.", cause);
    }
}
