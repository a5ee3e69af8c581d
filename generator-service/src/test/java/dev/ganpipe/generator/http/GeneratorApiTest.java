package dev.ganpipe.generator.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ganpipe.common.Json;
import dev.ganpipe.common.image.ImageGrid;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.generator.ConditionalTestModel;
import dev.ganpipe.generator.TestModels;
import dev.ganpipe.generator.ZipEntries;
import dev.ganpipe.generator.model.OfferOutcome;
import dev.ganpipe.generator.onnx.OrtSessionFactory;
import dev.ganpipe.generator.onnx.OrtSettings;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GeneratorApiTest {

    // TestModels trains each model once per JVM; these are that JVM's models, not copies.
    private final OrtSessionFactory ort = new OrtSessionFactory(OrtSettings.cpu());
    private final TestModels.Trained first = TestModels.first();
    private final TestModels.Trained second = TestModels.second();

    private ApiHarness api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    private ApiHarness withModel() {
        api = new ApiHarness(ort);
        api.publish(first, 1);
        return api;
    }

    private static JsonNode json(HttpResponse<byte[]> response) throws IOException {
        return Json.mapper().readTree(response.body());
    }

    private static BufferedImage png(byte[] bytes) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        assertThat(image).as("a decodable PNG").isNotNull();
        return image;
    }

    @Test
    void generateReturnsAPngGridWithCeilSqrtColumnsAndReportsVersionAndSeed() throws IOException {
        HttpResponse<byte[]> response = withModel().get("/v1/generate?count=10&seed=42");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(response.headers().firstValue(GeneratorApi.MODEL_VERSION_HEADER)).hasValue("1");
        assertThat(response.headers().firstValue(GeneratorApi.SEED_HEADER)).hasValue("42");
        BufferedImage grid = png(response.body());
        int columns = ImageGrid.columnsFor(10);
        int rows = 3;
        int pad = ResponseFormat.GRID_PADDING;
        assertThat(columns).isEqualTo(4);
        assertThat(grid.getWidth()).isEqualTo(columns * 28 + (columns + 1) * pad);
        assertThat(grid.getHeight()).isEqualTo(rows * 28 + (rows + 1) * pad);
    }

    @Test
    void theSameSeedGivesTheSameBytesAndAnotherSeedOthers() {
        withModel();
        byte[] a = api.get("/v1/generate?count=16&seed=7").body();
        byte[] b = api.get("/v1/generate?count=16&seed=7").body();
        byte[] c = api.get("/v1/generate?count=16&seed=8").body();

        assertThat(a).isEqualTo(b);
        assertThat(Arrays.equals(a, c)).isFalse();
    }

    @Test
    void seedsThatDifferOnlyInTheirHighBitsGiveDifferentImages() {
        withModel();
        // Equal in their low 48 bits, all that java.util.Random would keep of an unmixed seed (issue 22).
        for (String[] pair : new String[][] {{"1", "281474976710657"}, {"-1", "9223372036854775807"}}) {
            byte[] a = api.get("/v1/generate?format=png&seed=" + pair[0]).body();
            byte[] b = api.get("/v1/generate?format=png&seed=" + pair[1]).body();
            assertThat(Arrays.equals(a, b)).as("the images of seeds %s and %s are equal", pair[0], pair[1]).isFalse();
        }
    }

    @Test
    void withoutASeedARandomOneIsChosenAndReportedSoTheImagesCanBeRepeated() {
        withModel();
        HttpResponse<byte[]> random = api.get("/v1/generate?count=4");
        String seed = random.headers().firstValue(GeneratorApi.SEED_HEADER).orElseThrow();

        assertThat(api.get("/v1/generate?count=4&seed=" + seed).body()).isEqualTo(random.body());
    }

    @Test
    void pngFormatReturnsOneImageOfTheModelShape() throws IOException {
        HttpResponse<byte[]> response = withModel().get("/v1/generate?format=png&seed=3");

        assertThat(response.statusCode()).isEqualTo(200);
        BufferedImage image = png(response.body());
        assertThat(image.getWidth()).isEqualTo(28);
        assertThat(image.getHeight()).isEqualTo(28);
    }

    @Test
    void a32x32RgbModelServesRgbPngsAndGridsOfItsOwnSize() throws IOException {
        api = new ApiHarness(ort);
        api.publish(TestModels.train(3, "cifar-dcgan32", new ImageShape(32, 32, 3)), 1);

        BufferedImage single = png(api.get("/v1/generate?format=png&seed=3").body());
        assertThat(single.getWidth()).isEqualTo(32);
        assertThat(single.getHeight()).isEqualTo(32);
        assertThat(single.getColorModel().getNumColorComponents()).as("RGB, not gray").isEqualTo(3);
        BufferedImage grid = png(api.get("/v1/generate?count=4&seed=3").body());
        int pad = ResponseFormat.GRID_PADDING;
        assertThat(grid.getWidth()).isEqualTo(2 * 32 + 3 * pad);
        assertThat(grid.getHeight()).isEqualTo(2 * 32 + 3 * pad);
        assertThat(json(api.get("/v1/models")).toString()).contains("32x32x3");
    }

    @Test
    void zipFormatHoldsOnePngPerImageAndTheFirstMatchesTheSingleImageForTheSeed() throws IOException {
        withModel();
        HttpResponse<byte[]> response = api.get("/v1/generate?format=zip&count=5&seed=3");
        byte[] single = api.get("/v1/generate?format=png&count=1&seed=3").body();

        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/zip");
        List<String> names = new ArrayList<>();
        List<byte[]> entries = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(response.body()))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                names.add(entry.getName());
                entries.add(zip.readAllBytes());
            }
        }
        assertThat(names).containsExactly("image-0000.png", "image-0001.png", "image-0002.png", "image-0003.png", "image-0004.png");
        for (byte[] entry : entries) {
            assertThat(png(entry).getWidth()).isEqualTo(28);
        }
        assertThat(entries.getFirst()).as("noise rows are per seed, so image 0 of count 5 is the count-1 image").isEqualTo(single);
    }

    @Test
    void npyFormatIsAUint8NchwArrayWhosePixelsMatchThePng() throws IOException {
        withModel();
        HttpResponse<byte[]> response = api.get("/v1/generate?format=npy&count=3&seed=5");
        byte[] body = response.body();

        assertThat(Arrays.copyOf(body, 6)).isEqualTo(Npy.MAGIC);
        assertThat(body[6]).isEqualTo((byte) 1);
        assertThat(body[7]).isEqualTo((byte) 0);
        int headerLength = ByteBuffer.wrap(body, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
        String header = new String(body, 10, headerLength, StandardCharsets.US_ASCII);
        assertThat(header).contains("'descr': '|u1'").contains("'fortran_order': False").contains("'shape': (3, 1, 28, 28)").endsWith("\n");
        assertThat((10 + headerLength) % 64).isZero();
        assertThat(body.length - 10 - headerLength).isEqualTo(3 * 28 * 28);

        BufferedImage first = png(api.get("/v1/generate?format=png&seed=5").body());
        int data = 10 + headerLength;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                assertThat(body[data + y * 28 + x] & 0xff).isEqualTo(first.getRaster().getSample(x, y, 0));
            }
        }
    }

    @Test
    void badParametersAnswer400WithAJsonMessage() throws IOException {
        withModel();
        for (String query : List.of("count=0", "count=1025", "count=abc", "count=99999999999", "seed=x", "format=gif",
                "format=png&count=2", "label=3", "label=-1")) {
            HttpResponse<byte[]> response = api.get("/v1/generate?" + query);
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            JsonNode body = json(response);
            assertThat(body.get("error").asText()).as(query).isEqualTo("bad_parameter");
            assertThat(body.get("message").asText()).as(query).isNotBlank();
        }
        assertThat(json(api.get("/v1/generate?label=3")).get("message").asText()).contains("unconditional");
        assertThat(json(api.get("/v1/generate?label=Sneaker")).get("message").asText()).as("a name too").contains("unconditional");
        assertThat(json(api.get("/v1/generate?format=gif")).get("message").asText()).contains("grid, png, zip, npy");
    }

    @Test
    void beforeAnyModelGenerateAndReadinessAnswer503() throws IOException {
        api = new ApiHarness(ort);

        HttpResponse<byte[]> generate = api.get("/v1/generate?count=1");
        assertThat(generate.statusCode()).isEqualTo(503);
        assertThat(json(generate).get("error").asText()).isEqualTo("not_ready");
        assertThat(api.get("/readyz").statusCode()).isEqualTo(503);
        assertThat(api.get("/healthz").statusCode()).isEqualTo(200);

        api.publish(first, 1);
        assertThat(api.get("/readyz").statusCode()).isEqualTo(200);
        assertThat(api.get("/v1/generate?count=1").statusCode()).isEqualTo(200);
    }

    @Test
    void hotSwapListsBothVersionsServesTheNewestAndPinningAndUnpinningSwitchBack() throws IOException {
        withModel();
        api.publish(second, 2);

        JsonNode list = json(api.get("/v1/models"));
        assertThat(list.get("live").asLong()).isEqualTo(2);
        assertThat(list.get("pinned").isNull()).isTrue();
        JsonNode models = list.get("models");
        assertThat(models).hasSize(2);
        assertThat(models.get(0).get("version").asLong()).isEqualTo(2);
        assertThat(models.get(0).get("active").asBoolean()).isTrue();
        assertThat(models.get(0).get("step").asLong()).isEqualTo(2);
        assertThat(models.get(0).get("created").asText()).isEqualTo("2025-01-01T00:00:02Z");
        assertThat(models.get(0).get("metrics").has("loss_g")).isTrue();
        assertThat(models.get(1).get("version").asLong()).isEqualTo(1);
        assertThat(models.get(1).get("active").asBoolean()).isFalse();
        assertThat(version(api.get("/v1/generate?count=1&seed=1"))).isEqualTo("2");

        HttpResponse<byte[]> pin = api.post("/v1/models/1/activate", null);
        assertThat(pin.statusCode()).isEqualTo(200);
        assertThat(json(pin).get("pinned").asLong()).isEqualTo(1);
        assertThat(version(api.get("/v1/generate?count=1&seed=1"))).isEqualTo("1");
        JsonNode pinnedRow = json(api.get("/v1/models")).get("models").get(1);
        assertThat(pinnedRow.get("pinned").asBoolean()).isTrue();
        assertThat(pinnedRow.get("active").asBoolean()).isTrue();

        HttpResponse<byte[]> unpin = api.post("/v1/models/latest/activate", null);
        assertThat(unpin.statusCode()).isEqualTo(200);
        assertThat(json(unpin).get("pinned").isNull()).isTrue();
        assertThat(version(api.get("/v1/generate?count=1&seed=1"))).isEqualTo("2");
    }

    @Test
    void activatingAnUnknownVersionIs404AndANonNumberIs400() {
        withModel();

        assertThat(api.post("/v1/models/9/activate", null).statusCode()).isEqualTo(404);
        assertThat(api.post("/v1/models/abc/activate", null).statusCode()).isEqualTo(400);
        assertThat(api.get("/v1/models/1/activate").statusCode()).isEqualTo(405);
    }

    @Test
    void aCorruptModelIsRejectedAndThePreviousVersionKeepsServing() throws IOException {
        withModel();
        byte[] garbage = new byte[10_000];
        new java.util.Random(1).nextBytes(garbage);
        api.registry.offer(second.manifest(2), garbage, "test");

        assertThat(version(api.get("/v1/generate?count=1"))).isEqualTo("1");
        assertThat(json(api.get("/v1/models")).get("models").get(0).get("status").asText()).isEqualTo("rejected");
        assertThat(new String(api.get("/metrics").body(), StandardCharsets.UTF_8))
                .contains("gan_generator_model_swaps_total{outcome=\"rejected\",service=\"generator\"} 1.0")
                .contains("gan_generator_model_version{model=\"" + TestModels.NAME + "\",service=\"generator\"} 1.0");
    }

    @Test
    void activationNeedsTheAdminKeyWhenOneIsSetAndGenerateTheApiKey() {
        api = new ApiHarness(ort, new ApiSettings(1024, Optional.of("reader"), Optional.of("s3cret"), ApiSettings.DEFAULT_MAX_QUEUED_IMAGES), 256,
                java.time.Duration.ofMillis(2));
        api.publish(first, 1);

        assertThat(api.post("/v1/models/1/activate", null).statusCode()).isEqualTo(401);
        assertThat(api.post("/v1/models/1/activate", "wrong").statusCode()).isEqualTo(403);
        assertThat(api.post("/v1/models/1/activate", "reader").statusCode()).as("the read key does not activate").isEqualTo(403);
        assertThat(api.post("/v1/models/1/activate", "s3cret").statusCode()).isEqualTo(200);
        assertThat(api.get("/v1/generate?count=1").statusCode()).isEqualTo(401);
        assertThat(api.send(java.net.http.HttpRequest.newBuilder(api.uri("/v1/generate?count=1"))
                .header("Authorization", "Bearer reader").build()).statusCode()).isEqualTo(200);
        assertThat(api.get("/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void generatedImagesAndRequestsAreCounted() {
        withModel();
        api.get("/v1/generate?count=5&seed=1");
        api.get("/v1/generate?count=3&seed=1&format=zip");

        String metrics = new String(api.get("/metrics").body(), StandardCharsets.UTF_8);
        assertThat(metrics).contains("gan_generator_images_total{service=\"generator\"} 8.0");
        assertThat(metrics).contains("gan_generator_requests_total{endpoint=\"/v1/generate\",service=\"generator\",status=\"200\"} 2.0");
        assertThat(metrics).contains("gan_generator_batch_size_count{service=\"generator\"}").contains("gan_generator_batch_size_max{");
    }

    @Test
    void columnsLaysOutTheGridAndNeedsTheGridFormat() throws IOException {
        withModel();
        BufferedImage row = png(api.get("/v1/generate?count=8&columns=8&seed=1").body());

        assertThat(row.getWidth()).isEqualTo(8 * 28 + 9 * ResponseFormat.GRID_PADDING);
        assertThat(row.getHeight()).isEqualTo(28 + 2 * ResponseFormat.GRID_PADDING);
        assertThat(api.get("/v1/generate?count=8&columns=9").statusCode()).as("more columns than images").isEqualTo(400);
        assertThat(json(api.get("/v1/generate?count=8&columns=2&format=zip")).get("message").asText()).contains("format=grid");
    }

    @Test
    void aConditionalModelTakesALabelPerRequestAndWithoutOneCyclesThroughItsClasses() throws IOException {
        api = new ApiHarness(ort);
        byte[] onnx = ConditionalTestModel.onnx();
        assertThat(api.registry.offer(ConditionalTestModel.manifest(onnx, 1), onnx, "test")).isEqualTo(OfferOutcome.APPLIED);

        HttpResponse<byte[]> squares = api.get("/v1/generate?format=zip&count=2&seed=4&label=1");
        assertThat(squares.statusCode()).isEqualTo(200);
        assertThat(squares.headers().firstValue(GeneratorApi.LABEL_HEADER)).hasValue("1");
        List<byte[]> mixed = ZipEntries.of(api.get("/v1/generate?format=zip&count=4&seed=4").body());
        List<byte[]> circles = ZipEntries.of(api.get("/v1/generate?format=zip&count=4&seed=4&label=0").body());
        assertThat(mixed.get(1)).as("image 1 of an unlabelled request has label 1").isEqualTo(ZipEntries.of(squares.body()).get(1));
        assertThat(mixed.get(3)).as("image 3 wraps round to label 0").isEqualTo(circles.get(3));
        assertThat(mixed.get(0)).isEqualTo(circles.get(0));
        assertThat(mixed.get(1)).isNotEqualTo(circles.get(1));

        HttpResponse<byte[]> unknown = api.get("/v1/generate?count=1&label=3");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json(unknown).get("message").asText()).contains("3 classes").contains("2=cross");

        HttpResponse<byte[]> byName = api.get("/v1/generate?format=zip&count=2&seed=4&label=Square");
        assertThat(byName.statusCode()).as("a class name, case-insensitive, stands for its index").isEqualTo(200);
        assertThat(byName.headers().firstValue(GeneratorApi.LABEL_HEADER)).hasValue("1");
        assertThat(byName.body()).isEqualTo(squares.body());
        HttpResponse<byte[]> unknownName = api.get("/v1/generate?count=1&label=Sneaker");
        assertThat(unknownName.statusCode()).isEqualTo(400);
        assertThat(json(unknownName).get("error").asText()).isEqualTo("bad_parameter");
        assertThat(json(unknownName).get("message").asText()).contains("'Sneaker' is not a class").contains("2=cross");
        JsonNode model = json(api.get("/v1/models")).get("models").get(0);
        assertThat(model.get("classes")).extracting(JsonNode::asText).containsExactly("circle", "square", "cross");
    }

    @Test
    void anUnconditionalModelListsNoClasses() throws IOException {
        withModel();

        assertThat(json(api.get("/v1/models")).get("models").get(0).has("classes")).isFalse();
    }

    @Test
    void theGalleryPageLoadsTheGenerateEndpoint() {
        HttpResponse<byte[]> page = withModel().get("/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(new String(page.body(), StandardCharsets.UTF_8)).contains("/v1/generate");
    }

    private static String version(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).isEqualTo(200);
        return response.headers().firstValue(GeneratorApi.MODEL_VERSION_HEADER).orElseThrow();
    }
}
