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
 * The limits of {@link HttpService} on the JDK's server ({@link HttpServerKind#JDK}) against a real server on a free port, driven by the JDK's HTTP client and by raw
 * sockets where a well-behaved client cannot misbehave enough (oversized heads, slow clients).
 *
 * <p>The JDK server reads its limits once per JVM; common's pom sets the {@code sun.net.httpserver.*} properties of
 * {@link #LIMITS} for this module's test JVM, so that the time limits are seconds here rather than minutes.
 */
class HttpServiceLimitsTest {

    /** Must match the {@code sun.net.httpserver.*} system properties in common's pom. */
    static final HttpLimits LIMITS = new HttpLimits(1024, 16, 4096, Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(2));

    private final AtomicInteger handled = new AtomicInteger();
    private final io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry = MeterRegistries.prometheus("limits-test");
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private HttpService server;

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
        // The JDK server, pinned: this class checks its limits, kept as the bench's peer; JettyServerLimitsTest checks Jetty's.
        server = HttpService.start(new HttpService.Options("limits-test", "127.0.0.1", 0, routes, registry, "test", LIMITS, HttpServerKind.JDK,
                AccessLog.off(), java.util.Optional.empty()));
    }

    @AfterEach
    void stop() {
        server.close();
        client.close();
    }

    @Test
    void theJdkServerRunsUnderTheLimitsThisJvmWasGiven() {
        // The pom's properties win over LIMITS because an operator's -D must win; both say the same here.
        assertThat(LIMITS.applyToJdkServer()).isEqualTo(LIMITS.jdkServerProperties());
        assertThat(HttpLimits.defaults().jdkServerProperties()).containsOnlyKeys(HttpLimits.MAX_REQ_HEADERS, HttpLimits.MAX_REQ_HEADER_SIZE,
                HttpLimits.MAX_REQ_TIME, HttpLimits.MAX_RSP_TIME, HttpLimits.IDLE_INTERVAL);
    }

    @Test
    void aBodyWithinTheLimitReachesTheHandler() throws Exception {
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(uri("/echo"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1024])).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).hasSize(1024);
        assertThat(response.headers().firstValue(HttpService.REQUEST_ID_HEADER)).hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f-]{36}"));
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void aDeclaredBodyOverTheLimitGets413BeforeTheHandlerRunsOrAByteIsSent() throws Exception {
        try (Socket socket = RawHttp.connect(server.port())) {
            RawHttp.send(socket, "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000000\r\n\r\n");
            String answer = RawHttp.readAnswer(socket);
            assertThat(answer).startsWith("HTTP/1.1 413 ");
            JsonNode body = Json.mapper().readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            assertThat(body.get("error").asText()).isEqualTo("too_large");
            assertThat(body.get("message").asText()).contains("limit of 1024 bytes");
        }
        assertThat(handled).hasValue(0);
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
    void aBodyStalledUntilTheServerClosesTheConnectionIsCountedAsA408NotA500() throws Exception {
        // LIMITS keeps the default body pace (10 s of grace), so here the JDK server's 2 s request limit closes the
        // connection under the blocked read: before, that surfaced as an AsynchronousCloseException, an ERROR and a 500.
        try (Socket socket = RawHttp.connect(server.port())) {
            RawHttp.send(socket, "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 100\r\n\r\n0123456789abcdef");
            socket.setSoTimeout(30_000);
            assertThat(RawHttp.readOrEnd(socket.getInputStream())).as("the connection is closed, the answer has nowhere to go").isEqualTo(-1);
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> count("/echo", 408) == 1);
        assertThat(count("/echo", 500)).isZero();
    }

    @Test
    void tooManyHeadersCloseTheConnectionWithoutReachingTheHandler() throws Exception {
        StringBuilder head = new StringBuilder("GET /echo HTTP/1.1\r\nHost: test\r\n");
        for (int i = 0; i < LIMITS.maxHeaders() + 1; i++) {
            head.append("X-Filler-").append(i).append(": x\r\n");
        }
        try (Socket socket = RawHttp.connect(server.port())) {
            RawHttp.send(socket, head.append("\r\n").toString());
            assertThat(RawHttp.readAnswer(socket)).isEmpty();
        }
        assertThat(handled).hasValue(0);
    }

    @Test
    void anOversizedHeaderClosesTheConnectionWithoutReachingTheHandler() throws Exception {
        try (Socket socket = RawHttp.connect(server.port())) {
            RawHttp.send(socket, "GET /echo HTTP/1.1\r\nHost: test\r\nCookie: " + "a".repeat(LIMITS.maxHeaderBytes() + 1) + "\r\n\r\n");
            assertThat(RawHttp.readAnswer(socket)).isEmpty();
        }
        assertThat(handled).hasValue(0);
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
    void aStackOverflowInAHandlerGets500AndTheServerKeepsServing() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/overflow")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).doesNotContain("StackOverflowError", "dev.ganpipe");
        HttpResponse<String> next = client.send(HttpRequest.newBuilder(uri("/echo")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(next.statusCode()).isEqualTo(200);
    }

    @Test
    void unknownPathsAndMethodsGetJsonErrors() throws Exception {
        HttpResponse<String> missing = client.send(HttpRequest.newBuilder(uri("/nope")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(Json.mapper().readTree(missing.body()).get("error").asText()).isEqualTo("not_found");
        HttpResponse<String> wrong = client.send(HttpRequest.newBuilder(uri("/boom")).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(405);
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

    private double count(String endpoint, int status) {
        io.micrometer.core.instrument.Counter counter = registry.find("test.requests").tags("endpoint", endpoint, "status", Integer.toString(status))
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
