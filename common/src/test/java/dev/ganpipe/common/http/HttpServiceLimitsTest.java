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
class HttpServiceLimitsTest extends ServerLimitsContract {

    /** Must match the {@code sun.net.httpserver.*} system properties in common's pom. */
    static final HttpLimits LIMITS = new HttpLimits(1024, 16, 4096, Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(2));

    @Override
    HttpServerKind kind() {
        return HttpServerKind.JDK;
    }

    @Override
    HttpLimits limits() {
        return LIMITS;
    }

    @Override
    AccessLog accessLog() {
        return AccessLog.off();
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

}
