package dev.ganpipe.generator.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ganpipe.common.http.OpenApiContract;
import dev.ganpipe.generator.ConditionalTestModel;
import dev.ganpipe.generator.TestModels;
import dev.ganpipe.generator.onnx.OrtSessionFactory;
import dev.ganpipe.generator.onnx.OrtSettings;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The generator's answers, in every format and every refusal, against the OpenAPI document it serves. */
class GeneratorOpenApiTest {

    // TestModels trains each model once per JVM; these are that JVM's models, not copies.
    private final OrtSessionFactory ort = new OrtSessionFactory(OrtSettings.cpu());
    private ApiHarness api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void everyEndpointAnswersAsItsOpenApiDocumentSays() throws Exception {
        api = new ApiHarness(ort);
        OpenApiContract contract = OpenApiContract.of(URI.create(api.uri("/").toString()));
        // No model yet: not ready, and nothing to generate from.
        assertThat(contract.call("/readyz", contract.request("/readyz")).statusCode()).isEqualTo(503);
        assertThat(contract.call("/v1/generate", contract.request("/v1/generate?count=1")).statusCode()).isEqualTo(503);
        assertThat(contract.call("/v1/models", contract.request("/v1/models")).statusCode()).isEqualTo(200);

        api.publish(TestModels.first(), 1);
        api.publish(TestModels.second(), 2);
        for (String format : new String[] {"grid", "png", "zip", "npy"}) {
            assertThat(contract.call("/v1/generate", contract.request("/v1/generate?count=" + (format.equals("png") ? 1 : 4)
                    + "&seed=5&format=" + format)).statusCode()).as(format).isEqualTo(200);
        }
        assertThat(contract.call("/v1/generate", contract.request("/v1/generate?count=4&columns=2")).statusCode()).isEqualTo(200);
        assertThat(contract.call("/v1/generate", contract.request("/v1/generate?count=0")).statusCode()).isEqualTo(400);
        assertThat(contract.call("/v1/generate", contract.request("/v1/generate?format=gif")).statusCode()).isEqualTo(400);
        assertThat(contract.call("/v1/models", contract.request("/v1/models")).statusCode()).isEqualTo(200);
        assertThat(contract.call("/v1/models/{version}/activate", post(contract, "/v1/models/1/activate")).statusCode()).isEqualTo(200);
        assertThat(contract.call("/v1/models/{version}/activate", post(contract, "/v1/models/99/activate")).statusCode()).isEqualTo(404);
        assertThat(contract.call("/v1/models/{version}/activate", post(contract, "/v1/models/one/activate")).statusCode()).isEqualTo(400);
        assertThat(contract.call("/v1/models/latest/activate", post(contract, "/v1/models/latest/activate")).statusCode()).isEqualTo(200);
        String named = "/v1/models/" + TestModels.NAME;
        assertThat(contract.call("/v1/models/{name}/{version}/activate", post(contract, named + "/1/activate")).statusCode()).isEqualTo(200);
        assertThat(contract.call("/v1/models/{name}/{version}/activate", post(contract, "/v1/models/no-such-model/1/activate")).statusCode())
                .isEqualTo(404);
        assertThat(contract.call("/v1/models/{name}/latest/activate", post(contract, named + "/latest/activate")).statusCode()).isEqualTo(200);
        assertThat(contract.call("/v1/generate", contract.request("/v1/generate?count=1&model=" + TestModels.NAME + "&version=1")).statusCode())
                .isEqualTo(200);
        assertThat(contract.call("/v1/generate", contract.request("/v1/generate?count=1&model=no-such-model")).statusCode()).isEqualTo(404);
        assertThat(contract.call("/readyz", contract.request("/readyz")).statusCode()).isEqualTo(200);
        contract.getEach("/", "/healthz", "/metrics", "/openapi.json");
        contract.assertEveryOperationWasCalled();
    }

    @Test
    void missingAndWrongKeysAre401And403AsDocumented() throws Exception {
        api = new ApiHarness(ort, new ApiSettings(1024, Optional.of("reader"), Optional.of("s3cret"), ApiSettings.DEFAULT_MAX_QUEUED_IMAGES), 256,
                Duration.ofMillis(2));
        api.publish(TestModels.first(), 1);
        OpenApiContract contract = OpenApiContract.of(URI.create(api.uri("/").toString()));

        assertThat(contract.call("/v1/generate", contract.request("/v1/generate?count=1")).statusCode()).isEqualTo(401);
        assertThat(contract.call("/v1/models", contract.request("/v1/models").header("Authorization", "Bearer wrong")).statusCode())
                .isEqualTo(403);
        assertThat(contract.call("/v1/models/{version}/activate", post(contract, "/v1/models/1/activate")
                .header("Authorization", "Bearer reader")).statusCode()).isEqualTo(403);
        assertThat(contract.call("/v1/models", contract.request("/v1/models").header("Authorization", "Bearer reader")).statusCode())
                .isEqualTo(200);
        contract.assertAnswersMatchTheDocument();
    }

    @Test
    void confidenceAnswersOfAModelThatShipsItsClassifierAreAsDocumented() throws Exception {
        api = new ApiHarness(ort);
        byte[] plain = ConditionalTestModel.onnx();
        api.registry.offer(ConditionalTestModel.manifest(plain, 1), plain, "test");
        OpenApiContract contract = OpenApiContract.of(URI.create(api.uri("/").toString()));
        assertThat(contract.call("/v1/generate", contract.request("/v1/generate?count=2&min_confidence=0.5")).statusCode()).isEqualTo(409);

        byte[] judged = ConditionalTestModel.onnxWithClassifier();
        api.registry.offer(ConditionalTestModel.manifest(judged, 2), judged, "test");
        for (String format : new String[] {"grid", "zip", "npy"}) {
            assertThat(contract.call("/v1/generate", contract.request("/v1/generate?count=4&seed=5&label=1&min_confidence=0.1&format=" + format))
                    .statusCode()).as(format).isEqualTo(200);
        }
        assertThat(contract.call("/v1/generate", contract.request("/v1/generate?count=2&min_confidence=0.99")).statusCode()).isEqualTo(422);
        assertThat(contract.call("/v1/generate", contract.request("/v1/generate?count=2&min_confidence=-1")).statusCode()).isEqualTo(400);
        contract.assertAnswersMatchTheDocument();
    }

    private static HttpRequest.Builder post(OpenApiContract contract, String path) {
        return contract.request(path).POST(HttpRequest.BodyPublishers.noBody());
    }
}
