package dev.ganpipe.common.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.KeyStoreScanner;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link HttpServerKind#JETTY}: Jetty 12's core API (no servlets). Selector threads parse requests; each request's
 * handler runs on a virtual thread of its own, since handlers block (on the model, on a body). The limits are this
 * server's own: a head over {@link HttpLimits#maxHeaderBytes()} gets 431 (414 for the request line alone), more than
 * {@link HttpLimits#maxHeaders()} headers 431, a connection idle for {@link HttpLimits#idleTimeout()} is closed, and
 * every answer Jetty makes itself (a malformed request, say) is JSON from {@link JsonErrors}, with no class name.
 */
final class JettyServer implements ServerEngine {

    private static final Logger LOG = LoggerFactory.getLogger(HttpService.class);

    private final Server server;
    private final ServerConnector connector;
    private final HttpLimits limits;
    private final boolean tls;

    private JettyServer(Server server, ServerConnector connector, HttpLimits limits, boolean tls) {
        this.tls = tls;
        this.server = server;
        this.connector = connector;
        this.limits = limits;
    }

    static JettyServer start(String host, int port, Dispatcher dispatcher, Optional<TlsSettings> tls) {
        HttpLimits limits = dispatcher.limits();
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("http-" + dispatcher.name());
        // Jetty runs handlers it knows to block (Handler.Abstract is BLOCKING) on this executor.
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        Server server = new Server(threads);
        HttpConfiguration config = new HttpConfiguration();
        config.setRequestHeaderSize(limits.maxHeaderBytes());
        config.setSendServerVersion(false);
        config.setSendXPoweredBy(false);
        ServerConnector connector = tls.isPresent()
                ? new ServerConnector(server, sslContext(server, tls.get()), new HttpConnectionFactory(config))
                : new ServerConnector(server, new HttpConnectionFactory(config));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        connector.setAcceptQueueSize(128);
        // Jetty parses heads without a thread per connection, so a slow head costs no thread; it must still not hold a
        // connection for ever: one that has sent no complete request head within the request time limit is closed.
        connector.addEventListener(new HeadDeadline(server, limits.requestTimeout()));
        server.addConnector(connector);
        server.setHandler(new Routing(dispatcher));
        server.setErrorHandler(new JsonErrors());
        server.setStopTimeout(0);
        try {
            server.start();
        } catch (IOException e) {
            stopQuietly(server);
            throw HttpService.cannotListen(dispatcher.name(), host, port, e);
        } catch (Exception e) {
            stopQuietly(server);
            throw new IllegalStateException("The HTTP server of " + dispatcher.name() + " did not start: " + e.getMessage(), e);
        }
        return new JettyServer(server, connector, limits, tls.isPresent());
    }

    /** The server's TLS, re-read by a scanner whenever the key store file changes. */
    private static SslContextFactory.Server sslContext(Server server, TlsSettings tls) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(tls.keystore().toAbsolutePath().toString());
        ssl.setKeyStorePassword(tls.password());
        ssl.setKeyManagerPassword(tls.password());
        KeyStoreScanner reloader = new KeyStoreScanner(ssl);
        reloader.setScanInterval((int) Math.min(Integer.MAX_VALUE, tls.reloadCheck().toSeconds()));
        server.addBean(reloader);
        return ssl;
    }

    @Override
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public boolean tls() {
        return tls;
    }

    @Override
    public String describeLimits() {
        return "Jetty limits: head " + limits.maxHeaderBytes() + " bytes, " + limits.maxHeaders() + " headers, idle " + limits.idleTimeout();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("The HTTP server did not stop cleanly: " + e.getMessage(), e);
        }
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("Stopping an HTTP server that failed to start failed too: {}", e.toString());
        }
    }

    /** Every request goes to the {@link Dispatcher}; the answer is written from the handler's own (virtual) thread. */
    private static final class Routing extends Handler.Abstract {

        private final Dispatcher dispatcher;

        Routing(Dispatcher dispatcher) {
            this.dispatcher = dispatcher;
        }

        @Override
        public boolean handle(Request request, org.eclipse.jetty.server.Response response, Callback callback) {
            HttpLimits limits = dispatcher.limits();
            String method = request.getMethod();
            HttpURI uri = request.getHttpURI();
            String path = uri.getDecodedPath();
            if (request.getHeaders().size() > limits.maxHeaders()) {
                // Jetty bounds the head's bytes, not its count of headers; this service's limit says both.
                JsonErrors.write(response, 431, callback);
                return true;
            }
            PacedBody body = new PacedBody(new BoundedBody(Content.Source.asInputStream(request), limits.maxBodyBytes()), limits.bodyPace());
            Dispatcher.Outcome outcome = dispatcher.dispatch(method, path, uri.getQuery(), request.getHeaders()::get, body);
            Response answer = outcome.response();
            boolean head = method.equals("HEAD");
            response.setStatus(answer.status());
            HttpService.standardHeaders(answer, outcome.requestId()).forEach(response.getHeaders()::put);
            boolean abandonBody = body.unfinished();
            boolean bodyLeftUnread = body.leftUnread(request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING));
            if (abandonBody || bodyLeftUnread) {
                // The rest of the body never arrived (a 408), or the answer came before all of it was read (a 401, a
                // 413): Jetty closes such a connection once the answer is out, so the client must hear that it cannot
                // reuse it.
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
            }
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.body().length);
            try (Blocker.Callback written = Blocker.callback()) {
                response.write(true, head ? null : ByteBuffer.wrap(answer.body()), written);
                written.block();
                if (bodyLeftUnread) {
                    // A client still sending would otherwise meet a reset that can swallow the answer it was sent.
                    LingeringDrain.discardRest(request, LingeringDrain.LINGER);
                }
                callback.succeeded();
            } catch (IOException e) {
                // The client went away mid-response; nothing to retry, but worth a line at debug level.
                LOG.debug("{}: could not send the response to {}: {}", dispatcher.name(), request.getConnectionMetaData().getRemoteSocketAddress(),
                        e.toString());
                callback.failed(e);
            } catch (InterruptedException e) {
                // The server is stopping while a refused body is drained; the connection closes with it.
                Thread.currentThread().interrupt();
                callback.failed(e);
            }
            if (abandonBody) {
                try {
                    body.abandon();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            dispatcher.record(method, path, outcome, head ? 0 : answer.body().length);
            if (outcome.fatal().isPresent()) {
                throw outcome.fatal().get();
            }
            return true;
        }
    }
}
