package dev.ganpipe.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ganpipe.common.Json;
import dev.ganpipe.images.TestImages;
import dev.ganpipe.images.normalize.ClassList;
import dev.ganpipe.ingest.IngestConfig;
import dev.ganpipe.ingest.RecordingSink;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    void theKeyComesFromTheConfigAndNeverShowsInItsDescription() {
        UploadPolicy policy = IngestConfig.parse(List.of("--api-key", "s3cret-key"), Map.of()).uploadPolicy();
        assertThat(policy.apiKey()).hasValue("s3cret-key");
        assertThat(policy.toString()).doesNotContain("s3cret-key").contains("apiKey=(set)");
        assertThat(IngestConfig.parse(List.of(), Map.of()).uploadPolicy().apiKey()).isEmpty();
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
