package dev.ganpipe.common.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link HttpServerKind#JDK}: the JDK's built-in server, one virtual thread per request. Its header and time limits
 * are the JVM-wide {@code sun.net.httpserver.*} properties ({@link HttpLimits#applyToJdkServer()}).
 */
final class JdkServer implements ServerEngine {

    private static final Logger LOG = LoggerFactory.getLogger(HttpService.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final Dispatcher dispatcher;
    private final Map<String, String> jdkLimits;

    private JdkServer(HttpServer server, ExecutorService executor, Dispatcher dispatcher, Map<String, String> jdkLimits) {
        this.server = server;
        this.executor = executor;
        this.dispatcher = dispatcher;
        this.jdkLimits = jdkLimits;
    }

    static JdkServer start(String host, int port, Dispatcher dispatcher) {
        Map<String, String> jdkLimits = dispatcher.limits().applyToJdkServer();
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 128);
        } catch (IOException e) {
            throw HttpService.cannotListen(dispatcher.name(), host, port, e);
        }
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        JdkServer jdk = new JdkServer(server, executor, dispatcher, jdkLimits);
        server.createContext("/", jdk::dispatch);
        server.start();
        return jdk;
    }

    @Override
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public boolean tls() {
        return false;
    }

    @Override
    public String describeLimits() {
        return "JDK server limits " + jdkLimits;
    }

    private void dispatch(HttpExchange exchange) {
        HttpLimits limits = dispatcher.limits();
        PacedBody body = new PacedBody(new BoundedBody(exchange.getRequestBody(), limits.maxBodyBytes()), limits.bodyPace());
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        Dispatcher.Outcome outcome = dispatcher.dispatch(method, path, exchange.getRequestURI().getRawQuery(),
                exchange.getRequestHeaders()::getFirst, body);
        send(exchange, outcome, body);
        dispatcher.record(method, path, outcome, method.equals("HEAD") ? 0 : outcome.response().body().length);
        if (outcome.fatal().isPresent()) {
            throw outcome.fatal().get();
        }
    }

    private void send(HttpExchange exchange, Dispatcher.Outcome outcome, PacedBody body) {
        Response response = outcome.response();
        try (exchange) {
            HttpService.standardHeaders(response, outcome.requestId()).forEach(exchange.getResponseHeaders()::set);
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
            LOG.debug("{}: could not send the response to {}: {}", dispatcher.name(), exchange.getRemoteAddress(), e.toString());
        } catch (InterruptedException e) {
            // The service is stopping while a slow body's connection is being closed; the server's stop closes it anyway.
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
