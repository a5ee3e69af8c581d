package dev.ganpipe.common.http;

/**
 * Memory a request body may take, granted chunk by chunk as its bytes arrive, so that a body holds only what it has
 * actually sent: a service that bounds what uploads in flight hold (ingest) charges each chunk to its budget instead of
 * reserving a whole upload's worth for a client that may never send it.
 */
@FunctionalInterface
public interface BodyAllowance {

    /** Charges nothing: for bodies that only the service-wide body limit bounds. */
    BodyAllowance UNLIMITED = bytes -> { };

    /**
     * Grants {@code bytes} more to the body being read.
     *
     * @throws HttpError (for example 503 with {@code Retry-After}) when they cannot be granted; the body is read no further
     */
    void take(int bytes);
}
