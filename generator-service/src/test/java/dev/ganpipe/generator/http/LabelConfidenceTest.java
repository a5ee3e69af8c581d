package dev.ganpipe.generator.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ganpipe.common.Json;
import dev.ganpipe.common.metrics.MetricNames;
import dev.ganpipe.generator.ConditionalTestModel;
import dev.ganpipe.generator.ZipEntries;
import dev.ganpipe.generator.images.Generation;
import dev.ganpipe.generator.model.OfferOutcome;
import dev.ganpipe.generator.onnx.OrtSessionFactory;
import dev.ganpipe.generator.onnx.OrtSettings;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The trust signal over HTTP: each image's classifier confidence, and {@code min_confidence} filtering. */
class LabelConfidenceTest {

    private final OrtSessionFactory ort = new OrtSessionFactory(OrtSettings.cpu());
    private ApiHarness api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    private void serve(byte[] onnx) {
        api = new ApiHarness(ort);
        assertThat(api.registry.offer(ConditionalTestModel.manifest(onnx, 1), onnx, "test")).isEqualTo(OfferOutcome.APPLIED);
    }

    private static List<Double> confidences(HttpResponse<byte[]> response) {
        String header = response.headers().firstValue(GeneratorApi.LABEL_CONFIDENCE_HEADER).orElseThrow(
                () -> new AssertionError("no " + GeneratorApi.LABEL_CONFIDENCE_HEADER + " header"));
        return Arrays.stream(header.split(",")).map(Double::parseDouble).toList();
    }

    /** The zip's images.json, the entry after the PNGs. */
    private static JsonNode imagesJson(HttpResponse<byte[]> zip) throws IOException {
        List<byte[]> entries = ZipEntries.of(zip.body());
        return Json.mapper().readTree(entries.getLast()).get("images");
    }

    private static JsonNode error(HttpResponse<byte[]> response) throws IOException {
        return Json.mapper().readTree(response.body());
    }

    @Test
    void everyServedImageCarriesItsClassifierConfidenceInTheHeaderAndTheZip() throws IOException {
        serve(ConditionalTestModel.onnxWithClassifier());

        HttpResponse<byte[]> zip = api.get("/v1/generate?format=zip&count=6&seed=4&label=1");
        assertThat(zip.statusCode()).isEqualTo(200);
        List<Double> confidences = confidences(zip);
        assertThat(confidences).hasSize(6).allSatisfy(c -> assertThat(c).isBetween(0.0, 1.0));
        assertThat(confidences.stream().distinct().count()).as("each image is judged on its own").isGreaterThan(1);
        assertThat(ZipEntries.of(zip.body())).hasSize(7);
        JsonNode listed = imagesJson(zip);
        for (int i = 0; i < 6; i++) {
            assertThat(listed.get(i).get("file").asText()).isEqualTo(String.format("image-%04d.png", i));
            assertThat(listed.get(i).get("index").asInt()).isEqualTo(i);
            assertThat(listed.get(i).get("label").asInt()).isEqualTo(1);
            assertThat(listed.get(i).get("confidence").asDouble()).isEqualTo(confidences.get(i));
        }
        HttpResponse<byte[]> npy = api.get("/v1/generate?format=npy&count=6&seed=4&label=1");
        assertThat(confidences(npy)).isEqualTo(confidences);
        assertThat(Json.mapper().readTree(api.get("/v1/models").body()).get("models").get(0).get("labelConfidence").asBoolean())
                .as("the model list says the model ships its classifier").isTrue();
    }

    @Test
    void minConfidenceServesOnlyTheConfidentImagesOfTheSeedInNoiseOrder() throws IOException {
        serve(ConditionalTestModel.onnxWithClassifier());
        HttpResponse<byte[]> all = api.get("/v1/generate?format=zip&count=8&seed=9&label=2");
        List<Double> unfiltered = confidences(all);
        double threshold = unfiltered.stream().sorted().toList().get(4);
        assertThat(unfiltered).as("without the filter some images fall below the threshold").anySatisfy(c -> assertThat(c).isLessThan(threshold));

        HttpResponse<byte[]> filtered = api.get("/v1/generate?format=zip&count=4&seed=9&label=2&min_confidence=" + threshold);
        assertThat(filtered.statusCode()).isEqualTo(200);
        assertThat(confidences(filtered)).hasSize(4).allSatisfy(c -> assertThat(c).isGreaterThanOrEqualTo(threshold));
        List<byte[]> allImages = ZipEntries.of(all.body());
        List<byte[]> kept = ZipEntries.of(filtered.body());
        JsonNode listed = imagesJson(filtered);
        int previous = -1;
        for (int i = 0; i < 4; i++) {
            int index = listed.get(i).get("index").asInt();
            assertThat(index).as("kept in noise order").isGreaterThan(previous);
            previous = index;
            if (index < 8) {
                assertThat(unfiltered.get(index)).isGreaterThanOrEqualTo(threshold);
                assertThat(kept.get(i)).as("image %d is row %d of the seed, as unfiltered", i, index).isEqualTo(allImages.get(index));
            }
        }
    }

    @Test
    void aThresholdTooFewImagesReachFailsWithLowConfidenceOnceTheBoundIsHit() throws IOException {
        serve(ConditionalTestModel.onnxWithClassifier());
        double before = api.meters.get(MetricNames.GENERATOR_IMAGES).counter().count();

        HttpResponse<byte[]> response = api.get("/v1/generate?format=zip&count=3&seed=1&label=0&min_confidence=0.99");
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(error(response).get("error").asText()).isEqualTo("low_confidence");
        assertThat(error(response).get("message").asText()).contains("lower min_confidence");
        assertThat(api.meters.get(MetricNames.GENERATOR_IMAGES).counter().count() - before)
                .as("the work stops at the bound").isEqualTo(3.0 * Generation.MAX_CANDIDATES_PER_IMAGE);
    }

    @Test
    void minConfidenceOnAModelWithoutAClassifierIsAConflictAndABadThresholdIsRefused() throws IOException {
        serve(ConditionalTestModel.onnx());

        HttpResponse<byte[]> plain = api.get("/v1/generate?format=zip&count=2&seed=1");
        assertThat(plain.headers().firstValue(GeneratorApi.LABEL_CONFIDENCE_HEADER)).isEmpty();
        assertThat(ZipEntries.of(plain.body())).as("no images.json without a classifier").hasSize(2);
        assertThat(Json.mapper().readTree(api.get("/v1/models").body()).get("models").get(0).has("labelConfidence")).isFalse();
        HttpResponse<byte[]> conflict = api.get("/v1/generate?count=2&min_confidence=0.5");
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(error(conflict).get("error").asText()).isEqualTo("no_classifier");
        HttpResponse<byte[]> bad = api.get("/v1/generate?count=2&min_confidence=1.5");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(error(bad).get("message").asText()).contains("min_confidence");
    }
}
