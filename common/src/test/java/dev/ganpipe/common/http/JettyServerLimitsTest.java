package dev.ganpipe.common.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ganpipe.common.Json;
import dev.ganpipe.common.metrics.MeterRegistries;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The limits of {@link HttpService} on Jetty ({@link HttpServerKind#JETTY}), the server the services use, against a
 * real server on a free port, driven by raw sockets where a well-behaved client cannot misbehave enough. Unlike the
 * JDK server, Jetty answers a breach of the head limits with a status (431, 414) rather than a closed connection, and
 * its limits are per server, not per JVM.
 */
class JettyServerLimitsTest extends ServerLimitsContract {

    /**
     * A slow head is cut after 5 s: long enough that a loaded machine answers an oversized head before its connection's
     * head deadline passes (at 2 s, a 431 was once lost to that close on a 2-core machine at load average 25).
     */
    static final HttpLimits LIMITS = new HttpLimits(1024, 16, 4096, Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(2),
            new BodyPace(Duration.ofSeconds(1), 1024));

    @Override
    HttpServerKind kind() {
        return HttpServerKind.JETTY;
    }

    @Override
    HttpLimits limits() {
        return LIMITS;
    }

    @Override
    AccessLog accessLog() {
        return AccessLog.on();
    }

    @Test
    void aBodyWithinTheLimitReachesTheHandlerWithTheStandardHeaders() throws Exception {
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(uri("/echo"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1024])).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).hasSize(1024);
        assertThat(response.headers().firstValue(HttpService.REQUEST_ID_HEADER)).hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f-]{36}"));
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(response.headers().firstValue("Server")).as("no server version for scanners").isEmpty();
    }

    @Test
    void aDeclaredBodyOverTheLimitGets413BeforeTheHandlerRuns() throws Exception {
        String answer = rawAnswer("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 100000000\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 413 ");
        assertThat(jsonBody(answer).get("message").asText()).contains("limit of 1024 bytes");
        assertThat(handled).hasValue(0);
    }

    @Test
    void aContentLengthThatIsNoNumberGetsAJson400ThatNamesNoJavaClass() throws Exception {
        // Issue 22 item 7: the JDK server answered this with "NumberFormatException thrown".
        for (String length : new String[] {"abc", "99999999999999999999"}) {
            String answer = rawAnswer("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: " + length + "\r\n\r\n");
            assertThat(answer).as("Content-Length: %s", length).matches("(?s)HTTP/1.1 (400|413) .*");
            assertThat(jsonBody(answer).get("error").asText()).isIn("bad_request", "too_large");
            assertThat(answer).doesNotContain("Exception", "java.", "org.eclipse", "jetty");
        }
        assertThat(handled).hasValue(0);
    }

    @Test
    void aMalformedRequestUriGetsAJson400ThatNamesNoJavaClass() throws Exception {
        // The JDK server answered this one "400 ... URISyntaxException thrown".
        String answer = rawAnswer("GET /%zz HTTP/1.1\r\nHost: test\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 400 ");
        assertThat(jsonBody(answer).get("error").asText()).isEqualTo("bad_request");
        assertThat(answer).doesNotContain("Exception", "java.", "jetty");
        assertThat(handled).hasValue(0);
    }

    @Test
    void aStalledBodyIsAnswered408AndItsConnectionClosedNotCountedAsA500() throws Exception {
        try (Socket socket = RawHttp.connect(server.port())) {
            RawHttp.send(socket, "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 100\r\n\r\n0123456789abcdef");
            String answer = RawHttp.readUntilClosed(socket);
            assertThat(answer).startsWith("HTTP/1.1 408 ");
            assertThat(answer.toLowerCase(Locale.ROOT)).contains("connection: close");
        }
        // The access is counted as the exchange completes, which can be just after the client saw the close (as in
        // HttpServiceLimitsTest): wait for it.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(count("/echo", 408)).isEqualTo(1));
        assertThat(count("/echo", 500)).isZero();
    }

    @Test
    void tooManyHeadersGet431WithoutReachingTheHandler() throws Exception {
        StringBuilder head = new StringBuilder("GET /echo HTTP/1.1\r\nHost: test\r\n");
        for (int i = 0; i < LIMITS.maxHeaders() + 1; i++) {
            head.append("X-Filler-").append(i).append(": x\r\n");
        }
        String answer = rawAnswer(head.append("\r\n").toString());
        assertThat(answer).startsWith("HTTP/1.1 431 ");
        assertThat(jsonBody(answer).get("error").asText()).isEqualTo("headers_too_large");
        assertThat(handled).hasValue(0);
    }

    @Test
    void anOversizedHeaderGets431AndAnOversizedRequestLine414() throws Exception {
        String header = rawAnswer("GET /echo HTTP/1.1\r\nHost: test\r\nCookie: " + "a".repeat(LIMITS.maxHeaderBytes() + 1) + "\r\n\r\n");
        assertThat(header).startsWith("HTTP/1.1 431 ");
        assertThat(jsonBody(header).get("error").asText()).isEqualTo("headers_too_large");
        String line = rawAnswer("GET /echo?" + "a".repeat(LIMITS.maxHeaderBytes() + 1) + " HTTP/1.1\r\nHost: test\r\n\r\n");
        assertThat(line).matches("(?s)HTTP/1.1 (414|431) .*");
        assertThat(line).doesNotContain("Exception", "jetty");
        assertThat(handled).hasValue(0);
    }

    @Test
    void anAccessLogLineNamesMethodPathStatusBytesTimeAndRequestIdButNeverTheQuery() {
        String line = AccessLog.line("GET", "/v1/generate\r\nforged", 200, 1234, 5_200_000, "id-1");
        assertThat(line).isEqualTo("GET /v1/generate??forged 200 1234 B 5.2 ms id=id-1");
    }

}
