package dev.ganpipe.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ganpipe.common.Json;
import dev.ganpipe.common.metrics.MeterRegistries;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link HttpService} guarantees on either server ({@link HttpServerKind}): the checks both servers must pass, run
 * against a real server on a free port and driven by raw sockets where a well-behaved client cannot misbehave enough.
 * {@link JettyServerLimitsTest} (the services' server) and {@link HttpServiceLimitsTest} (the JDK server, the bench's
 * peer) add what differs between them.
 */
abstract class ServerLimitsContract {

    final AtomicInteger handled = new AtomicInteger();
    final io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry = MeterRegistries.prometheus("limits-test");
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpService server;

    /** The server under test. */
    abstract HttpServerKind kind();

    /** Its limits. */
    abstract HttpLimits limits();

    /** Whether it writes access log lines. */
    abstract AccessLog accessLog();

    @BeforeEach
    void start() {
        Routes routes = new Routes()
                .post("/echo", r -> {
                    handled.incrementAndGet();
                    return Response.of(200, "application/octet-stream", r.body(1 << 20));
                })
                .get("/echo", r -> {
                    handled.incrementAndGet();
                    return Response.text(200, "ok");
                })
                .get("/boom", r -> {
                    handled.incrementAndGet();
                    throw new IllegalStateException("Cannot open /var/lib/ganpipe/secret/model.onnx: at dev.ganpipe.Internal.method(Internal.java:42)");
                })
                .get("/overflow", r -> {
                    handled.incrementAndGet();
                    return Response.text(200, Integer.toString(recurse(0)));
                });
        server = HttpService.start(new HttpService.Options(kind().name().toLowerCase(java.util.Locale.ROOT) + "-limits-test", "127.0.0.1", 0,
                routes, registry, "test", limits(), kind(), accessLog(), java.util.Optional.empty()));
    }

    @AfterEach
    void stop() {
        server.close();
        client.close();
    }

    @Test
    void aChunkedBodyWithNoLengthIsCutAtTheLimitWith413() throws Exception {
        // ofInputStream has no known length, so the client sends it chunked: the server learns the size only by reading.
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/echo"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[64 * 1024]))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(Json.mapper().readTree(response.body()).get("error").asText()).isEqualTo("too_large");
    }

    @Test
    void aConnectionThatNeverSendsARequestIsClosed() throws Exception {
        try (Socket socket = RawHttp.connect(server.port())) {
            socket.setSoTimeout(30_000);
            assertThat(RawHttp.readOrEnd(socket.getInputStream())).as("the server closes a connection that stays silent").isEqualTo(-1);
        }
    }

    @Test
    void aHandlerFailureGetsAGeneric500WithTheRequestIdAndNoInternals() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/boom")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(500);
        JsonNode body = Json.mapper().readTree(response.body());
        assertThat(body.get("error").asText()).isEqualTo("internal");
        String id = response.headers().firstValue(HttpService.REQUEST_ID_HEADER).orElseThrow();
        assertThat(body.get("message").asText()).contains(id);
        assertThat(response.body()).doesNotContain("/var/lib", "secret", "Exception", "Internal.java", "dev.ganpipe");
    }

    @Test
    void aSlowLorisClientIsDisconnectedThoughItKeepsSending() throws Exception {
        try (Socket socket = RawHttp.connect(server.port())) {
            RawHttp.send(socket, "GET /echo HTTP/1.1\r\nHost: test\r\nX-Slow: ");
            Thread dribbler = Thread.ofVirtual().start(() -> {
                // One header byte every 100 ms, never finishing the head: each byte alone would reset a naive idle timer.
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        socket.getOutputStream().write('a');
                        socket.getOutputStream().flush();
                        Thread.sleep(100);
                    }
                } catch (IOException e) {
                    // The server closed the connection: what this test waits for, and the reader below sees it too.
                    return;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            socket.setSoTimeout(30_000);
            int first = RawHttp.readOrEnd(socket.getInputStream());
            dribbler.interrupt();
            dribbler.join();
            assertThat(first).as("the server answers a slow client by closing, never with a response").isEqualTo(-1);
        }
        assertThat(handled).hasValue(0);
    }

    @Test
    void headOnAGetRouteAnswersAsGetWouldWithoutTheBody() throws Exception {
        // Raw socket: the JDK client would hide a body sent after a HEAD answer, and that is what this checks.
        try (Socket socket = RawHttp.connect(server.port())) {
            RawHttp.send(socket, "HEAD /echo HTTP/1.1\r\nHost: test\r\n\r\nGET /echo HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
            socket.setSoTimeout(30_000);
            String answers = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answers).startsWith("HTTP/1.1 200 ");
            String headAnswer = answers.substring(0, answers.indexOf("\r\n\r\n") + 4);
            assertThat(headAnswer.toLowerCase(java.util.Locale.ROOT)).contains("content-length: 2\r\n");
            // Right after the HEAD answer's head comes the GET answer, with the body the HEAD answer left out.
            assertThat(answers.substring(headAnswer.length())).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nok");
        }
        assertThat(handled).hasValue(2);
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }

    final double count(String endpoint, int status) {
        io.micrometer.core.instrument.Counter counter = registry.find("test.requests").tags("endpoint", endpoint, "status", Integer.toString(status))
                .counter();
        return counter == null ? 0 : counter.count();
    }

    final URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    final String rawAnswer(String request) throws Exception {
        try (Socket socket = RawHttp.connect(server.port())) {
            RawHttp.send(socket, request);
            return RawHttp.readAnswer(socket);
        }
    }

    static JsonNode jsonBody(String answer) throws Exception {
        return Json.mapper().readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
    }
}
