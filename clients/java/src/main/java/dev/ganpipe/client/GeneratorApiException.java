package dev.ganpipe.client;

import java.util.OptionalLong;

/**
 * The generator's HTTP API refused a call: its status and its JSON error ({@code {"error":"<code>","message":"<sentence>"}})
 * (DESIGN.md, "Ports and endpoints").
 */
public final class GeneratorApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String error;
    // A plain long (-1 for none) rather than an OptionalLong, which is not serializable as an exception's fields must be.
    private final long retryAfterSeconds;

    GeneratorApiException(String call, int status, String error, String message, OptionalLong retryAfterSeconds) {
        super(call + " answered " + status + " " + error + ": " + message);
        this.status = status;
        this.error = error;
        this.retryAfterSeconds = retryAfterSeconds.orElse(-1);
    }

    /** The HTTP status, e.g. 400, 503. */
    public int status() {
        return status;
    }

    /** The machine-readable code, e.g. {@code bad_parameter}, {@code not_ready}, {@code busy}. */
    public String error() {
        return error;
    }

    /** For {@code busy}: how long the service asked to wait before trying again. */
    public OptionalLong retryAfterSeconds() {
        return retryAfterSeconds < 0 ? OptionalLong.empty() : OptionalLong.of(retryAfterSeconds);
    }
}
