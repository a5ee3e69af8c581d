package dev.ganpipe.common.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * What every HTTP server under {@link HttpService} does with a request once its head is read: match the route, run
 * the handler, turn failures into JSON errors without internals, and count and time the answer. The servers differ
 * only in how bytes get on and off the wire.
 */
final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(HttpService.class);

    /**
     * A handler's answer with what the server needs to send and record it.
     *
     * @param fatal an {@link Error} the handler threw: send the 500, record it, then throw this
     */
    record Outcome(Response response, String requestId, String endpoint, long startNanos, Optional<Error> fatal) {
    }

    private final String name;
    private final Routes routes;
    private final MeterRegistry registry;
    private final String metricPrefix;
    private final HttpLimits limits;
    private final AccessLog accessLog;
    // The meters of each endpoint and status, looked up once: building and registering them anew for every request
    // (tags sorted, an id hashed, the registry's map searched) took a tenth of the handler's own time on count=1 PNGs.
    private final ConcurrentMap<String, Counter> requests = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Timer> latencies = new ConcurrentHashMap<>();

    Dispatcher(String name, Routes routes, MeterRegistry registry, String metricPrefix, HttpLimits limits, AccessLog accessLog) {
        this.name = name;
        this.routes = routes;
        this.registry = registry;
        this.metricPrefix = metricPrefix;
        this.limits = limits;
        this.accessLog = accessLog;
    }

    String name() {
        return name;
    }

    HttpLimits limits() {
        return limits;
    }

    Outcome dispatch(String method, String path, String rawQuery, HeaderLookup headers, PacedBody body) {
        long start = System.nanoTime();
        String requestId = UUID.randomUUID().toString();
        // Every line logged while the request is handled and answered carries its id (the launcher's JSON log format
        // writes it out); record() ends the context, with whatever a handler added (the generator's model version).
        MDC.put(HttpService.REQUEST_ID_LOG_KEY, requestId);
        String endpoint = "unmatched";
        try {
            Optional<Routes.Match> match = routes.match(method, path);
            if (match.isEmpty()) {
                Response response = routes.pathExists(path)
                        ? Response.error(405, "method_not_allowed", "Method " + method + " is not allowed on " + path + ".")
                        : Response.error(404, "not_found", "No endpoint at " + path + "; see the README for the API.");
                return new Outcome(response, requestId, endpoint, start, Optional.empty());
            }
            endpoint = match.get().route().pattern();
            checkDeclaredLength(headers.first("Content-Length"));
            Request request = new Request(method, path, rawQuery, match.get().pathParams(), headers, body);
            return new Outcome(match.get().route().handler().handle(request), requestId, endpoint, start, Optional.empty());
        } catch (HttpError e) {
            return new Outcome(Response.error(e.status(), e.code(), e.getMessage()), requestId, endpoint, start, Optional.empty());
        } catch (Exception e) {
            return new Outcome(internalError(method, path, requestId, e), requestId, endpoint, start, Optional.empty());
        } catch (Error e) {
            // A stack overflow or an out-of-memory in a handler still gets its 500, so the client is not left waiting
            // on an open connection; then it goes on up, since the JVM may be in no state to carry on as if nothing happened.
            return new Outcome(internalError(method, path, requestId, e), requestId, endpoint, start, Optional.of(e));
        }
    }

    /** Counts, times and (when on) logs an answer once it is sent; {@code bytes} is the body's length. */
    void record(String method, String path, Outcome outcome, long bytes) {
        int status = outcome.response().status();
        long nanos = System.nanoTime() - outcome.startNanos();
        String endpoint = outcome.endpoint();
        requests.computeIfAbsent(endpoint + ' ' + status, key -> Counter.builder(metricPrefix + ".requests").tag("endpoint", endpoint)
                .tag("status", Integer.toString(status)).description("HTTP requests by endpoint and status").register(registry))
                .increment();
        latencies.computeIfAbsent(endpoint, key -> Timer.builder(metricPrefix + ".request").tag("endpoint", endpoint)
                .publishPercentileHistogram().description("HTTP request latency").register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
        accessLog.log(method, path, status, bytes, nanos, outcome.requestId());
        MDC.clear();
    }

    /** A declared body over the limit is refused before the handler runs and before a byte of it is read. */
    private void checkDeclaredLength(String declared) {
        if (declared == null) {
            return;
        }
        long length;
        try {
            length = Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            // The servers reject a malformed Content-Length before dispatch; this is a second line only.
            throw HttpError.badRequest("The Content-Length header is not a number; send the body's length in bytes.");
        }
        if (length > limits.maxBodyBytes()) {
            throw BoundedBody.tooLarge(limits.maxBodyBytes());
        }
    }

    private Response internalError(String method, String path, String requestId, Throwable e) {
        LOG.error("{}: request {} {} failed (request id {})", name, method, path, requestId, e);
        return Response.error(500, "internal", "The service could not answer this request; the operator can find request id " + requestId
                + " in its log.");
    }
}
