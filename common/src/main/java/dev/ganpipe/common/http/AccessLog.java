package dev.ganpipe.common.http;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per answered request, on the logger {@value #LOGGER} at INFO: method, path (never the query, which may
 * carry prompts or keys), status, body bytes, milliseconds and the request id that error answers name. Off unless a
 * service turns it on ({@code --access-log}); the demo leaves it off.
 */
public final class AccessLog {

    /** The logger name, so an operator can route these lines to a file of their own. */
    public static final String LOGGER = "dev.ganpipe.http.access";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private final boolean on;

    private AccessLog(boolean on) {
        this.on = on;
    }

    public static AccessLog on() {
        return new AccessLog(true);
    }

    public static AccessLog off() {
        return new AccessLog(false);
    }

    public boolean enabled() {
        return on;
    }

    void log(String method, String path, int status, long bytes, long nanos, String requestId) {
        if (on) {
            LOG.info(line(method, path, status, bytes, nanos, requestId));
        }
    }

    /** The line's format: {@code GET /v1/generate 200 1234 B 5.2 ms id=...}. */
    static String line(String method, String path, int status, long bytes, long nanos, String requestId) {
        // A path is decoded: its control characters and spaces could forge a second line or field, so they become '?'.
        return String.format(Locale.ROOT, "%s %s %d %d B %.1f ms id=%s", method, path.replaceAll("[^\\x21-\\x7e]", "?"), status, bytes, nanos / 1e6, requestId);
    }
}
