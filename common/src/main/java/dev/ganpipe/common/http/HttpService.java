package dev.ganpipe.common.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Serves a {@link Routes} table on the JDK's HTTP server, one virtual thread per request, within {@link HttpLimits}.
 * Every response is counted as {@code <metricPrefix>.requests{endpoint,status}} and timed as
 * {@code <metricPrefix>.request}, where endpoint is the route pattern (bounded cardinality), never the raw path.
 * Every response carries an {@value #REQUEST_ID_HEADER}; a handler failure that is not an {@link HttpError} is logged
 * with that id and answered with a generic 500 that names the id and nothing else, so no stack trace, class name or
 * file path reaches a client.
 */
public final class HttpService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpService.class);

    /** Response header: the id under which the service logs this request's failure, if it fails. */
    public static final String REQUEST_ID_HEADER = "X-Request-Id";

    /** Logging-context (MDC) key of the request id, in every line logged while a request is handled. */
    public static final String REQUEST_ID_LOG_KEY = "requestId";

    private final String name;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Routes routes;
    private final MeterRegistry registry;
    private final String metricPrefix;
    private final HttpLimits limits;

    private HttpService(String name, HttpServer server, ExecutorService executor, Routes routes,
            MeterRegistry registry, String metricPrefix, HttpLimits limits) {
        this.limits = limits;
        this.name = name;
        this.server = server;
        this.executor = executor;
        this.routes = routes;
        this.registry = registry;
        this.metricPrefix = metricPrefix;
    }

    /** Binds and starts serving within {@link HttpLimits#defaults()}; see {@link #start(String, String, int, Routes, MeterRegistry, String, HttpLimits)}. */
    public static HttpService start(String name, String host, int port, Routes routes, MeterRegistry registry, String metricPrefix) {
        return start(name, host, port, routes, registry, metricPrefix, HttpLimits.defaults());
    }

    /**
     * Binds and starts serving.
     *
     * @param name service name for logs
     * @param host address to bind, e.g. {@code 0.0.0.0}
     * @param port port to bind, 0 for a free one
     * @param metricPrefix e.g. {@code gan.generator}
     * @param limits body, header and time limits (the JDK-enforced ones are JVM-wide, see {@link HttpLimits})
     * @throws UncheckedIOException when the port cannot be bound
     */
    public static HttpService start(String name, String host, int port, Routes routes, MeterRegistry registry, String metricPrefix,
            HttpLimits limits) {
        Map<String, String> jdkLimits = limits.applyToJdkServer();
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 128);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on " + host + ":" + port + " for " + name
                    + "; another process may hold the port. Stop it or choose another port with the service's --port option.", e);
        }
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        HttpService service = new HttpService(name, server, executor, routes, registry, metricPrefix, limits);
        server.createContext("/", service::dispatch);
        server.start();
        LOG.info("{} serves HTTP on http://{}:{}/ (bodies up to {} bytes; JDK server limits {})", name,
                host.equals("0.0.0.0") ? "localhost" : host, service.port(), limits.maxBodyBytes(), jdkLimits);
        return service;
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    private void dispatch(HttpExchange exchange) {
        String requestId = UUID.randomUUID().toString();
        // Every line logged while handling the request carries its id (the launcher's JSON log format writes it out);
        // whatever a handler adds to the context (the generator's model version) ends with the request too.
        MDC.put(REQUEST_ID_LOG_KEY, requestId);
        try {
            dispatch(exchange, requestId);
        } finally {
            MDC.clear();
        }
    }

    private void dispatch(HttpExchange exchange, String requestId) {
        long start = System.nanoTime();
        String endpoint = "unmatched";
        Response response;
        PacedBody body = new PacedBody(new BoundedBody(exchange.getRequestBody(), limits.maxBodyBytes()), limits.bodyPace());
        try {
            String path = exchange.getRequestURI().getPath();
            Optional<Routes.Match> match = routes.match(exchange.getRequestMethod(), path);
            if (match.isEmpty()) {
                response = routes.pathExists(path)
                        ? Response.error(405, "method_not_allowed", "Method " + exchange.getRequestMethod() + " is not allowed on " + path + ".")
                        : Response.error(404, "not_found", "No endpoint at " + path + "; see the README for the API.");
            } else {
                endpoint = match.get().route().pattern();
                checkDeclaredLength(exchange);
                Request request = new Request(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(),
                        match.get().pathParams(), exchange.getRequestHeaders(), body);
                response = match.get().route().handler().handle(request);
            }
        } catch (HttpError e) {
            response = Response.error(e.status(), e.code(), e.getMessage());
        } catch (Exception e) {
            response = internalError(exchange, requestId, e);
        } catch (Error e) {
            // A stack overflow or an out-of-memory in a handler still gets its 500, so the client is not left waiting
            // on an open connection; then it goes on up, since the JVM may be in no state to carry on as if nothing happened.
            send(exchange, internalError(exchange, requestId, e), requestId, body);
            record(endpoint, 500, start);
            throw e;
        }
        send(exchange, response, requestId, body);
        record(endpoint, response.status(), start);
    }

    /** A declared body over the limit is refused before the handler runs and before a byte of it is read. */
    private void checkDeclaredLength(HttpExchange exchange) {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared == null) {
            return;
        }
        long length;
        try {
            length = Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            // The JDK server rejects a malformed Content-Length before dispatch; this is a second line only.
            throw HttpError.badRequest("The Content-Length header is not a number; send the body's length in bytes.");
        }
        if (length > limits.maxBodyBytes()) {
            throw BoundedBody.tooLarge(limits.maxBodyBytes());
        }
    }

    private Response internalError(HttpExchange exchange, String requestId, Throwable e) {
        LOG.error("{}: request {} {} failed (request id {})", name, exchange.getRequestMethod(), exchange.getRequestURI().getPath(), requestId, e);
        return Response.error(500, "internal", "The service could not answer this request; the operator can find request id " + requestId
                + " in its log.");
    }

    private void record(String endpoint, int status, long start) {
        Counter.builder(metricPrefix + ".requests").tag("endpoint", endpoint).tag("status", Integer.toString(status))
                .description("HTTP requests by endpoint and status").register(registry).increment();
        Timer.builder(metricPrefix + ".request").tag("endpoint", endpoint).publishPercentileHistogram()
                .description("HTTP request latency").register(registry).record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private void send(HttpExchange exchange, Response response, String requestId, PacedBody body) {
        try (exchange) {
            for (Map.Entry<String, String> header : response.headers().entrySet()) {
                exchange.getResponseHeaders().set(header.getKey(), header.getValue());
            }
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            // Error bodies echo parts of the request; a browser must never sniff them into something executable.
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            exchange.getResponseHeaders().set(REQUEST_ID_HEADER, requestId);
            boolean abandonBody = body.unfinished();
            if (abandonBody) {
                // The rest of the body never arrived (a 408): this connection cannot carry another request.
                exchange.getResponseHeaders().set("Connection", "close");
            }
            boolean head = exchange.getRequestMethod().equals("HEAD");
            if (head) {
                // The JDK server sends no length of its own for HEAD; the one GET would send is what a checker compares.
                exchange.getResponseHeaders().set("Content-Length", Integer.toString(response.body().length));
            }
            if (abandonBody && response.body().length > 0) {
                // Closing the JDK's response stream first drains the request body, which would wait on the slow client:
                // write and flush the answer, then close the connection under the blocked reader.
                exchange.sendResponseHeaders(response.status(), response.body().length);
                OutputStream out = exchange.getResponseBody();
                out.write(response.body());
                out.flush();
                body.abandon();
                out.close();
                return;
            }
            if (abandonBody) {
                // An empty answer cannot be flushed before the JDK's drain; the client learns of it by the closed connection.
                body.abandon();
            }
            exchange.sendResponseHeaders(response.status(), head || response.body().length == 0 ? -1 : response.body().length);
            if (!head && response.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body());
                }
            }
        } catch (IOException e) {
            // The client went away mid-response; nothing to retry, but worth a line at debug level.
            LOG.debug("{}: could not send the response to {}: {}", name, exchange.getRemoteAddress(), e.toString());
        } catch (InterruptedException e) {
            // The service is stopping while a slow body's connection is being closed; the server's stop closes it anyway.
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        LOG.info("{} stopped serving HTTP", name);
    }
}
