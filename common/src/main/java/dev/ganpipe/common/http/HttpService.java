package dev.ganpipe.common.http;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@link Routes} table on an HTTP server ({@link HttpServerKind}, Jetty unless told otherwise), one virtual
 * thread per request, within {@link HttpLimits}. Every response is counted as
 * {@code <metricPrefix>.requests{endpoint,status}} and timed as {@code <metricPrefix>.request}, where endpoint is the
 * route pattern (bounded cardinality), never the raw path. Every response carries an {@value #REQUEST_ID_HEADER}; a
 * handler failure that is not an {@link HttpError} is logged with that id and answered with a generic 500 that names
 * the id and nothing else, so no stack trace, class name or file path reaches a client.
 */
public final class HttpService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpService.class);

    /** Response header: the id under which the service logs this request's failure, if it fails. */
    public static final String REQUEST_ID_HEADER = "X-Request-Id";

    /** Logging-context (MDC) key of the request id, in every line logged while a request is handled. */
    public static final String REQUEST_ID_LOG_KEY = "requestId";

    private final String name;
    private final ServerEngine engine;

    private HttpService(String name, ServerEngine engine) {
        this.name = name;
        this.engine = engine;
    }

    /** Binds and starts serving within {@link HttpLimits#defaults()}; see {@link #start(String, String, int, Routes, MeterRegistry, String, HttpLimits)}. */
    public static HttpService start(String name, String host, int port, Routes routes, MeterRegistry registry, String metricPrefix) {
        return start(name, host, port, routes, registry, metricPrefix, HttpLimits.defaults());
    }

    /** Binds and starts serving on the standard server with no access log; see {@link #start(Options)}. */
    public static HttpService start(String name, String host, int port, Routes routes, MeterRegistry registry, String metricPrefix,
            HttpLimits limits) {
        return start(new Options(name, host, port, routes, registry, metricPrefix, limits));
    }

    /**
     * Everything a service says about its HTTP server.
     *
     * @param name service name for logs
     * @param host address to bind, e.g. {@code 0.0.0.0}
     * @param port port to bind, 0 for a free one
     * @param metricPrefix e.g. {@code gan.generator}
     * @param limits body, header and time limits
     * @param kind which server carries the routes
     * @param accessLog whether each answer gets a log line
     * @param tls HTTPS on the port, or plain HTTP
     */
    public record Options(String name, String host, int port, Routes routes, MeterRegistry registry, String metricPrefix, HttpLimits limits,
            HttpServerKind kind, AccessLog accessLog, Optional<TlsSettings> tls) {

        public Options {
            if (tls.isPresent() && kind != HttpServerKind.JETTY) {
                throw new IllegalArgumentException("HTTPS needs the Jetty server; the JDK server is the bench's plain-HTTP peer only.");
            }
        }

        /** Plain HTTP on the standard server, without an access log. */
        public Options(String name, String host, int port, Routes routes, MeterRegistry registry, String metricPrefix, HttpLimits limits) {
            this(name, host, port, routes, registry, metricPrefix, limits, HttpServerKind.standard(), AccessLog.off(), Optional.empty());
        }

        /** A copy on another server. */
        public Options on(HttpServerKind other) {
            return new Options(name, host, port, routes, registry, metricPrefix, limits, other, accessLog, tls);
        }

        /** A copy that serves HTTPS. */
        public Options with(TlsSettings settings) {
            return new Options(name, host, port, routes, registry, metricPrefix, limits, kind, accessLog, Optional.of(settings));
        }

        /** A copy with another access log. */
        public Options with(AccessLog log) {
            return new Options(name, host, port, routes, registry, metricPrefix, limits, kind, log, tls);
        }
    }

    /**
     * Binds and starts serving.
     *
     * @throws UncheckedIOException when the port cannot be bound
     */
    public static HttpService start(Options options) {
        Dispatcher dispatcher = new Dispatcher(options.name(), options.routes(), options.registry(), options.metricPrefix(), options.limits(),
                options.accessLog());
        ServerEngine engine = switch (options.kind()) {
            case JETTY -> JettyServer.start(options.host(), options.port(), dispatcher, options.tls());
            case JDK -> JdkServer.start(options.host(), options.port(), dispatcher);
        };
        LOG.info("{} serves HTTP on {}://{}:{}/ ({} server; bodies up to {} bytes; {}; access log {})", options.name(), engine.tls() ? "https" : "http",
                options.host().equals("0.0.0.0") ? "localhost" : options.host(), engine.port(), options.kind().name().toLowerCase(java.util.Locale.ROOT),
                options.limits().maxBodyBytes(), engine.describeLimits(), options.accessLog().enabled() ? "on" : "off");
        return new HttpService(options.name(), engine);
    }

    /** Whether the port speaks HTTPS. */
    public boolean tls() {
        return engine.tls();
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return engine.port();
    }

    static UncheckedIOException cannotListen(String name, String host, int port, IOException e) {
        return new UncheckedIOException("Cannot listen on " + host + ":" + port + " for " + name
                + "; another process may hold the port. Stop it or choose another port with the service's --port option.", e);
    }

    /** The headers every answer carries, whichever server sends it. */
    static Map<String, String> standardHeaders(Response response, String requestId) {
        Map<String, String> headers = new LinkedHashMap<>(response.headers());
        headers.put("Content-Type", response.contentType());
        headers.put("Cache-Control", "no-store");
        // Error bodies echo parts of the request; a browser must never sniff them into something executable.
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put(REQUEST_ID_HEADER, requestId);
        return headers;
    }

    @Override
    public void close() {
        engine.close();
        LOG.info("{} stopped serving HTTP", name);
    }
}
