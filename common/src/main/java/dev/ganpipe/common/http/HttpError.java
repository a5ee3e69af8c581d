package dev.ganpipe.common.http;

import java.io.Serial;

/**
 * An error the client caused or must know about; rendered as {@code {"error":code,"message":sentence}} with the
 * status. Anything else a handler throws becomes a 500 without internals.
 */
public final class HttpError extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    public HttpError(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public static HttpError badRequest(String message) {
        return new HttpError(400, "bad_parameter", message);
    }

    public static HttpError notFound(String message) {
        return new HttpError(404, "not_found", message);
    }

    public static HttpError notReady(String message) {
        return new HttpError(503, "not_ready", message);
    }

    public static HttpError tooLarge(String message) {
        return new HttpError(413, "too_large", message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
