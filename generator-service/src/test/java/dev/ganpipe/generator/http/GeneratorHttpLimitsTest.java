package dev.ganpipe.generator.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ganpipe.common.Json;
import dev.ganpipe.common.http.HttpLimits;
import dev.ganpipe.common.http.HttpService;
import dev.ganpipe.common.http.Routes;
import dev.ganpipe.generator.onnx.OrtSessionFactory;
import dev.ganpipe.generator.onnx.OrtSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generator's HTTP API against hostile or unauthorised clients, on a real server on a free port with the
 * production routes and no model: what is refused is refused before any model is touched.
 */
class GeneratorHttpLimitsTest {

    private static final int MAX_COUNT = 64;

    private static OrtSessionFactory ort;
    private ApiHarness api;

    @BeforeAll
    static void runtime() {
        ort = new OrtSessionFactory(OrtSettings.cpu());
    }

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void withOnlyAnApiKeyActivationNeedsThatKeyInsteadOfBeingOpen() throws IOException {
        api = new ApiHarness(ort, new ApiSettings(MAX_COUNT, Optional.of("reader"), Optional.empty(), ApiSettings.DEFAULT_MAX_QUEUED_IMAGES), 16,
                Duration.ofMillis(2));
        HttpResponse<byte[]> anonymous = api.post("/v1/models/1/activate", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(json(anonymous).get("message").asText()).contains("--api-key");
        assertThat(api.post("/v1/models/latest/activate", null).statusCode()).isEqualTo(401);
        assertThat(api.post("/v1/models/1/activate", "wrong").statusCode()).isEqualTo(403);
        assertThat(api.post("/v1/models/1/activate", "reader").statusCode()).as("past the key, the version is unknown").isEqualTo(404);
    }

    @Test
    void withNoKeyAtAllActivationIsOpenAsDocumented() {
        api = new ApiHarness(ort, ApiSettings.open(MAX_COUNT), 16, Duration.ofMillis(2));
        assertThat(api.post("/v1/models/1/activate", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aCountOverTheLimitIs400BeforeAnyModelIsNeeded() throws IOException {
        api = new ApiHarness(ort, ApiSettings.open(MAX_COUNT), 16, Duration.ofMillis(2));
        HttpResponse<byte[]> response = api.get("/v1/generate?count=" + (MAX_COUNT + 1));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("message").asText()).isEqualTo("Query parameter 'count' must be between 1 and 64, but was 65.");
        HttpResponse<byte[]> huge = api.get("/v1/generate?count=99999999999999999999");
        assertThat(huge.statusCode()).isEqualTo(400);
        assertThat(json(huge).get("error").asText()).isEqualTo("bad_parameter");
    }

    @Test
    void aBodyOverTheServiceLimitIs413EvenOnAnEndpointThatTakesNone() throws IOException {
        api = new ApiHarness(ort, ApiSettings.open(MAX_COUNT), 16, Duration.ofMillis(2));
        long tooMany = HttpLimits.defaults().maxBodyBytes() + 1;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", api.http.port()), 5_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/models/1/activate HTTP/1.1\r\nHost: test\r\nContent-Length: " + tooMany + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String answer = readHead(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 413 ");
        }
    }

    @Test
    void errorsNameNoInternals() throws IOException {
        api = new ApiHarness(ort, ApiSettings.open(MAX_COUNT), 16, Duration.ofMillis(2));
        for (String path : new String[] {"/v1/generate?format=%25zz&count=-1", "/v1/generate?seed=1e9", "/v1/generate", "/v1/nothing/here"}) {
            HttpResponse<byte[]> response = api.get(path);
            String body = new String(response.body(), StandardCharsets.UTF_8);
            assertThat(response.statusCode()).as(path).isIn(400, 404, 503);
            assertThat(body).as(path).doesNotContain("Exception", "dev.ganpipe", ".java", "/work/", "/tmp/");
            assertThat(response.headers().firstValue(HttpService.REQUEST_ID_HEADER)).as(path).isPresent();
        }
    }

    @Test
    void headOnEveryGetEndpointAnswersAsGetWouldWithoutABody() {
        api = new ApiHarness(ort, ApiSettings.open(MAX_COUNT), 16, Duration.ofMillis(2));
        List<String> getPaths = GeneratorApi.routes(api.generation, ApiSettings.open(MAX_COUNT), api.meters, api.registry::ready).all().stream()
                .filter(route -> route.method().equals("GET")).map(Routes.Route::pattern).toList();
        assertThat(getPaths).contains("/healthz", "/readyz", "/metrics", "/v1/generate", "/v1/models", "/");
        for (String path : getPaths) {
            HttpResponse<byte[]> get = api.get(path);
            HttpResponse<byte[]> head = api.send(HttpRequest.newBuilder(api.uri(path)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
            assertThat(head.statusCode()).as("HEAD " + path).isEqualTo(get.statusCode()).isNotEqualTo(405);
            assertThat(head.body()).as("HEAD " + path).isEmpty();
            assertThat(head.headers().firstValue("Content-Type")).as("HEAD " + path).isEqualTo(get.headers().firstValue("Content-Type"));
        }
    }

    private static JsonNode json(HttpResponse<byte[]> response) throws IOException {
        return Json.mapper().readTree(response.body());
    }

    /** The status line and headers of the answer. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        for (int b = in.read(); b >= 0 && !head.toString().endsWith("\r\n\r\n"); b = in.read()) {
            head.append((char) b);
        }
        return head.toString();
    }
}
