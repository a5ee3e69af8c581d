package dev.ganpipe.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ganpipe.common.Json;
import dev.ganpipe.common.http.BodyPace;
import dev.ganpipe.common.http.HttpLimits;
import dev.ganpipe.common.http.HttpService;
import dev.ganpipe.common.http.RawHttp;
import dev.ganpipe.common.metrics.MeterRegistries;
import dev.ganpipe.images.TestImages;
import dev.ganpipe.images.normalize.ClassList;
import dev.ganpipe.ingest.RecordingSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Upload bodies that arrive slowly or never (issue 22, item 1), against the real upload API on a free port, with raw
 * sockets: a well-behaved client cannot stall mid-body. Before the fix, each stalled body held an upload slot until the
 * JDK server's 60 s request limit closed its connection, which was then logged as an ERROR and counted as a 500.
 */
class SlowUploadBodiesTest {

    private static final UploadPolicy POLICY = new UploadPolicy(64 * 1024, ClassList.fashionMnist(), 4, Duration.ofSeconds(5));
    /** Short, so that the test waits seconds: a stalled 16-byte body is late after about 2 s. */
    private static final BodyPace PACE = new BodyPace(Duration.ofSeconds(2), 1024);
    private static final int SLOW_CLIENTS = 40;

    private final PrometheusMeterRegistry registry = MeterRegistries.prometheus("slow-uploads-test");
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final RecordingSink sink = RecordingSink.acknowledging();
    private HttpService server;

    @BeforeEach
    void start() {
        server = HttpService.start("slow-uploads-test", "127.0.0.1", 0, IngestRoutes.routes(sink, POLICY, registry, () -> true), registry,
                "gan.ingest.http", HttpLimits.defaults().withMaxBodyBytes(POLICY.maxUploadBytes()).withBodyPace(PACE));
    }

    @AfterEach
    void stop() {
        server.close();
        client.close();
    }

    @Test
    void fortyStalledChunkedBodiesLockNoUploadOutAndEachIsCutWith408() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < SLOW_CLIENTS; i++) {
                Socket socket = RawHttp.connect(server.port());
                slow.add(socket);
                RawHttp.send(socket, "POST /v1/images HTTP/1.1\r\nHost: test\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "10\r\n" + "\u0089PNG\r\n\u001a\n01234567" + "\r\n");
            }
            // Ten times as many stalled bodies as upload slots: real uploads still get through, again and again.
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> upload().statusCode() == 202);
            assertThat(sink.sent()).hasSizeGreaterThanOrEqualTo(5);

            for (Socket socket : slow) {
                String answer = RawHttp.readUntilClosed(socket);
                assertThat(answer).as("a stalled body is answered, then its connection closed").startsWith("HTTP/1.1 408 ");
                assertThat(answer.toLowerCase(java.util.Locale.ROOT)).contains("connection: close");
                String message = Json.mapper().readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4)).get("message").asText();
                assertThat(message).contains("arrived too slowly", "16 bytes");
            }
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
        // The count follows the answer: the last connections may close a moment before their 408 is counted.
        await().atMost(Duration.ofSeconds(10)).until(() -> uploads(408) == SLOW_CLIENTS);
        assertThat(uploads(500)).isZero();
        assertThat(upload().statusCode()).as("the memory the stalled bodies held is free again").isEqualTo(202);
    }

    @Test
    void aClientThatGoesAwayMidBodyIsAClientErrorNotA500() throws Exception {
        try (Socket socket = RawHttp.connect(server.port())) {
            RawHttp.send(socket, "POST /v1/images HTTP/1.1\r\nHost: test\r\nContent-Type: image/png\r\nContent-Length: 1000\r\n\r\n"
                    + "\u0089PNG\r\n\u001a\n01234567");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> uploads(400) == 1);
        assertThat(uploads(500)).isZero();
        assertThat(sink.sent()).isEmpty();
    }

    /** Uploads answered with {@code status}, as the metric behind the error-rate alert counts them. */
    private double uploads(int status) {
        Counter counter = registry.find("gan.ingest.http.requests").tags("endpoint", "/v1/images", "status", Integer.toString(status)).counter();
        return counter == null ? 0 : counter.count();
    }

    private HttpResponse<String> upload() throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/images"))
                .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(TestImages.goodPng())).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
