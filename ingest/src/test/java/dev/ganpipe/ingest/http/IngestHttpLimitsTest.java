package dev.ganpipe.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ganpipe.common.Json;
import dev.ganpipe.common.http.RawHttp;
import dev.ganpipe.common.http.Routes;
import dev.ganpipe.images.TestImages;
import dev.ganpipe.images.normalize.ClassList;
import dev.ganpipe.ingest.IngestConfig;
import dev.ganpipe.ingest.RecordingSink;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The upload API against unauthorised and oversized uploads, on a real server on a free port. */
class IngestHttpLimitsTest {

    private static final UploadPolicy OPEN = new UploadPolicy(4096, ClassList.fashionMnist(), 4, Duration.ofSeconds(5));

    @RegisterExtension
    final UploadApi api = new UploadApi();

    @Test
    void withAnApiKeyAnUploadWithoutItOrWithAnotherStoresNothing() throws Exception {
        RecordingSink sink = start(OPEN.withApiKey(Optional.of("uploader")));
        HttpResponse<String> anonymous = send(upload(TestImages.goodPng()).build());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(json(anonymous).get("message").asText()).contains("--api-key");
        assertThat(send(upload(TestImages.goodPng()).header("Authorization", "Bearer nope").build()).statusCode()).isEqualTo(403);
        assertThat(sink.sent()).isEmpty();

        HttpResponse<String> allowed = send(upload(TestImages.goodPng()).header("Authorization", "Bearer uploader").build());
        assertThat(allowed.statusCode()).isEqualTo(202);
        assertThat(sink.sent()).hasSize(1);
    }

    @Test
    void aChunkedUploadOverTheImageLimitIs413AndStoresNothing() throws Exception {
        RecordingSink sink = start(OPEN);
        // No Content-Length: the server learns the size only by reading, and must stop at the limit.
        HttpRequest request = HttpRequest.newBuilder(api.uri("/v1/images"))
                .header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[OPEN.maxBytes() * 4])))
                .build();
        HttpResponse<String> response = send(request);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response).get("error").asText()).isEqualTo("too_large");
        assertThat(sink.sent()).isEmpty();
    }

    @Test
    void aGzippedUploadIs415InsteadOfAcceptedAndDeadLettered() throws Exception {
        RecordingSink sink = start(OPEN);
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
            gzip.write(TestImages.goodPng());
        }
        HttpResponse<String> response = send(upload(gzipped.toByteArray()).header("Content-Encoding", "gzip").build());
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(json(response).get("error").asText()).isEqualTo("unsupported_encoding");
        assertThat(json(response).get("message").asText()).contains("without Content-Encoding");
        assertThat(sink.sent()).isEmpty();
    }

    @Test
    void bytesOfNoImageFormatSentAsAnImageAre415BeforeAnythingIsStored() throws Exception {
        RecordingSink sink = start(OPEN);
        byte[] html = "<!doctype html><html><body>not an image</body></html>".getBytes(StandardCharsets.UTF_8);
        for (byte[] body : List.of(new byte[] {42}, html, TestImages.randomBytes(2048, 9))) {
            HttpResponse<String> response = send(upload(body).build());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(415);
            assertThat(json(response).get("message").asText()).contains("starts with the bytes of no image format");
        }
        MultipartBodies parts = MultipartBodies.create().png("good.png", TestImages.goodPng()).png("page.png", html);
        HttpResponse<String> multipart = send(HttpRequest.newBuilder(api.uri("/v1/images"))
                .header("Content-Type", parts.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(parts.build())).build());
        assertThat(multipart.statusCode()).as(multipart.body()).isEqualTo(415);
        assertThat(json(multipart).get("message").asText()).contains("page.png");
        assertThat(sink.sent()).isEmpty();
        // A JPEG labelled image/png is still an image the normaliser decodes: stored, with the type its bytes have.
        HttpResponse<String> mislabelled = send(upload(TestImages.encode(TestImages.noise(16, 16, 1), "jpeg")).build());
        assertThat(mislabelled.statusCode()).as(mislabelled.body()).isEqualTo(202);
        assertThat(sink.sent()).singleElement().satisfies(image -> assertThat(image.contentType()).isEqualTo("image/jpeg"));
    }

    @Test
    void anImageWhoseHeaderDeclaresTooManyPixelsIs422BeforeAnythingIsStored() throws Exception {
        RecordingSink sink = start(OPEN);
        // A valid PNG whose IHDR (CRC fixed) declares 100,000 x 100,000 pixels: the normaliser would dead-letter it as
        // too_many_pixels without decoding, so the upload is refused before its 202, from the header alone.
        byte[] bomb = TestImages.goodPng().clone();
        java.nio.ByteBuffer.wrap(bomb, 16, 8).putInt(100_000).putInt(100_000);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bomb, 12, 17); // chunk type and IHDR data
        java.nio.ByteBuffer.wrap(bomb, 29, 4).putInt((int) crc.getValue());
        HttpResponse<String> response = send(upload(bomb).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        assertThat(json(response).get("error").asText()).isEqualTo("too_many_pixels");
        assertThat(json(response).get("message").asText()).contains("100000x100000").contains("Nothing of this upload was stored");
        assertThat(sink.sent()).isEmpty();
        HttpResponse<String> good = send(upload(TestImages.goodPng()).build());
        assertThat(good.statusCode()).as(good.body()).isEqualTo(202);
    }

    @Test
    void theKeyComesFromTheConfigAndNeverShowsInItsDescription() {
        UploadPolicy policy = IngestConfig.parse(List.of("--api-key", "s3cret-key", "--allow-keys-over-plain-http"), Map.of()).uploadPolicy();
        assertThat(policy.apiKey()).hasValue("s3cret-key");
        assertThat(policy.toString()).doesNotContain("s3cret-key").contains("apiKey=(set)");
        assertThat(IngestConfig.parse(List.of(), Map.of()).uploadPolicy().apiKey()).isEmpty();
    }

    @Test
    void headOnEveryGetEndpointAnswersAsGetWouldWithoutABody() throws Exception {
        start(OPEN);
        List<String> getPaths = IngestRoutes.routes(RecordingSink.acknowledging(), OPEN, api.registry(), () -> true).all().stream()
                .filter(route -> route.method().equals("GET")).map(Routes.Route::pattern).toList();
        assertThat(getPaths).containsExactlyInAnyOrder("/healthz", "/readyz", "/metrics", "/openapi.json");
        for (String path : getPaths) {
            URI uri = api.uri(path);
            HttpResponse<String> get = send(HttpRequest.newBuilder(uri).GET().build());
            HttpResponse<String> head = send(HttpRequest.newBuilder(uri).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
            assertThat(head.statusCode()).as("HEAD " + path).isEqualTo(get.statusCode()).isEqualTo(200);
            assertThat(head.body()).as("HEAD " + path).isEmpty();
            assertThat(head.headers().firstValue("Content-Type")).as("HEAD " + path).isEqualTo(get.headers().firstValue("Content-Type"));
        }
    }

    @Test
    void aContentLengthThatIsNoNumberOrTooLongGetsAJson400ThatNamesNoJavaClass() throws Exception {
        // Issue 22 item 7: the JDK server answered these itself with "400 ... NumberFormatException thrown".
        RecordingSink sink = start(OPEN);
        for (String length : List.of("abc", "99999999999999999999")) {
            String answer;
            try (java.net.Socket socket = RawHttp.connect(api.uri("/").getPort())) {
                RawHttp.send(socket, "POST /v1/images HTTP/1.1\r\nHost: test\r\nContent-Type: image/png\r\nContent-Length: " + length
                        + "\r\n\r\n");
                answer = RawHttp.readAnswer(socket);
            }
            assertThat(answer).as("Content-Length: %s", length).startsWith("HTTP/1.1 400 ");
            JsonNode body = Json.mapper().readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            assertThat(body.get("error").asText()).isEqualTo("bad_request");
            assertThat(answer).doesNotContain("Exception", "java.", "jetty", "dev.ganpipe");
        }
        assertThat(sink.sent()).isEmpty();
    }

    private RecordingSink start(UploadPolicy policy) {
        return api.start(RecordingSink.acknowledging(), policy, () -> true);
    }

    private HttpRequest.Builder upload(byte[] png) {
        return HttpRequest.newBuilder(api.uri("/v1/images"))
                .header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofByteArray(png));
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return api.send(request);
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return Json.mapper().readTree(response.body());
    }
}
