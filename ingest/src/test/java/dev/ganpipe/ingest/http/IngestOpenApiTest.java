package dev.ganpipe.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ganpipe.common.http.OpenApiContract;
import dev.ganpipe.images.TestImages;
import dev.ganpipe.images.normalize.ClassList;
import dev.ganpipe.ingest.RecordingSink;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Ingest's answers, accepted and refused, against the OpenAPI document it serves. */
class IngestOpenApiTest {

    private static final UploadPolicy POLICY = new UploadPolicy(4096, ClassList.fashionMnist(), 4, Duration.ofSeconds(5));

    @RegisterExtension
    final UploadApi api = new UploadApi();
    private final AtomicBoolean ready = new AtomicBoolean();

    @Test
    void everyEndpointAnswersAsItsOpenApiDocumentSays() throws Exception {
        api.start(RecordingSink.acknowledging(), POLICY, ready::get);
        OpenApiContract contract = OpenApiContract.of(URI.create(api.uri("/").toString()));

        assertThat(contract.call("/v1/images", upload(contract, "/v1/images?label=7", "image/png", TestImages.goodPng())).statusCode()).isEqualTo(202);
        byte[] multipart = MultipartBodies.create().png("a.png", TestImages.goodPng()).png("b.png", TestImages.goodPng())
                .field("label", "Sneaker").build();
        assertThat(contract.call("/v1/images", upload(contract, "/v1/images", "multipart/form-data; boundary=" + MultipartBodies.BOUNDARY,
                multipart)).statusCode()).isEqualTo(202);
        assertThat(contract.call("/v1/images", upload(contract, "/v1/images", "image/png", new byte[0])).statusCode()).isEqualTo(400);
        assertThat(contract.call("/v1/images", upload(contract, "/v1/images?label=42", "image/png", TestImages.goodPng())).statusCode())
                .isEqualTo(400);
        assertThat(contract.call("/v1/images", upload(contract, "/v1/images", "text/plain", new byte[] {1})).statusCode()).isEqualTo(415);
        assertThat(contract.call("/v1/images", upload(contract, "/v1/images", "image/png", new byte[8192])).statusCode()).isEqualTo(413);
        assertThat(contract.call("/readyz", contract.request("/readyz")).statusCode()).isEqualTo(503);
        ready.set(true);
        assertThat(contract.call("/readyz", contract.request("/readyz")).statusCode()).isEqualTo(200);
        contract.getEach("/healthz", "/metrics", "/openapi.json");
        contract.assertEveryOperationWasCalled();
    }

    @Test
    void aSendTheBrokerRefusesIsA503WithRetryAfterAsDocumented() throws Exception {
        api.start(RecordingSink.failingFrom(0), POLICY, ready::get);
        OpenApiContract contract = OpenApiContract.of(URI.create(api.uri("/").toString()));

        assertThat(contract.call("/v1/images", upload(contract, "/v1/images", "image/png", TestImages.goodPng())).statusCode()).isEqualTo(503);
        contract.assertAnswersMatchTheDocument();
    }

    private static HttpRequest.Builder upload(OpenApiContract contract, String path, String contentType, byte[] body) {
        return contract.request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }
}
