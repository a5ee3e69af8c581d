package dev.ganpipe.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ganpipe.client.GenerateFormat;
import dev.ganpipe.client.GenerateRequest;
import dev.ganpipe.client.Generated;
import dev.ganpipe.client.GeneratorApiException;
import dev.ganpipe.client.GeneratorClient;
import dev.ganpipe.client.ImageShape;
import dev.ganpipe.client.ModelInfo;
import dev.ganpipe.client.Models;
import dev.ganpipe.client.RecordNames;
import dev.ganpipe.client.SyntheticImage;
import dev.ganpipe.client.SyntheticImageDeserializer;
import dev.ganpipe.client.SyntheticRequest;
import dev.ganpipe.client.SyntheticRequestProducer;
import dev.ganpipe.client.example.AugmentationConsumer;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java client (gan-client) against a real broker and the real generator service. */
class JavaClientTest {

    @TempDir
    static Path data;
    private static Pipeline pipeline;

    @BeforeAll
    static void start() throws Exception {
        pipeline = Pipeline.start(data);
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void imagesAskedForOnTheTopicArriveWithTheirHeadersReadAndEqualTheHttpApisImages() {
        String requestId;
        try (SyntheticRequestProducer requests = SyntheticRequestProducer.connect(pipeline.bootstrapServers(), Map.of())) {
            requestId = requests.send(SyntheticRequest.of(3).withSeed(9).withLabel(1).withModel("conditional-test"), Pipeline.WAIT);
        }

        List<ConsumerRecord<String, SyntheticImage>> answer = new ArrayList<>();
        try (KafkaConsumer<String, SyntheticImage> consumer = new KafkaConsumer<>(AugmentationConsumer.consumerSettings(
                pipeline.bootstrapServers(), "java-client-test", Map.of()), new StringDeserializer(), new SyntheticImageDeserializer())) {
            consumer.subscribe(List.of(RecordNames.SYNTHETIC_IMAGES_TOPIC));
            long deadline = System.nanoTime() + Pipeline.WAIT.toNanos();
            while (answer.size() < 3 && System.nanoTime() < deadline) {
                consumer.poll(java.time.Duration.ofMillis(200)).forEach(record -> {
                    if (record.key().equals(requestId)) {
                        answer.add(record);
                    }
                });
            }
        }

        assertThat(answer).as("the generator answers request %s with three images", requestId).hasSize(3);
        List<byte[]> overHttp;
        try (GeneratorClient http = GeneratorClient.connect(pipeline.generatorUrl())) {
            overHttp = http.images(3, OptionalLong.of(9), OptionalLong.of(1));
        }
        for (int i = 0; i < 3; i++) {
            SyntheticImage image = answer.get(i).value();
            assertThat(image.index()).isEqualTo(i);
            assertThat(image.seed()).isEqualTo(9);
            assertThat(image.label()).hasValue(1);
            assertThat(image.modelVersion()).isEqualTo(1);
            assertThat(image.modelName()).hasValue("conditional-test");
            assertThat(image.shape()).isEqualTo(new ImageShape(12, 12, 1));
            assertThat(image.eventId()).isNotBlank();
            assertThat(image.png()).as("image %d is byte for byte the HTTP API's image %d of seed 9, label 1", i, i).isEqualTo(overHttp.get(i));
            BufferedImage decoded = image.image();
            assertThat(decoded.getWidth()).isEqualTo(12);
        }
    }

    @Test
    void theHttpClientListsTheModelWithItsClassesAndSaysWhatMadeTheImages() {
        try (GeneratorClient http = GeneratorClient.connect(pipeline.generatorUrl())) {
            assertThat(http.healthy()).isTrue();
            assertThat(http.ready()).isTrue();

            Models models = http.models();
            assertThat(models.live()).hasValue(1);
            assertThat(models.pinned()).isEmpty();
            assertThat(models.defaultModel()).as("the only model served is the default").hasValue("conditional-test");
            assertThat(models.names()).containsExactly("conditional-test");
            ModelInfo live = models.liveModel().orElseThrow();
            assertThat(live.name()).isEqualTo("conditional-test");
            assertThat(live.imageShape()).isEqualTo(new ImageShape(12, 12, 1));
            assertThat(live.classes()).containsExactly("circle", "square", "cross");
            assertThat(live.className(2)).hasValue("cross");

            Generated grid = http.generate(GenerateFormat.GRID, 4, OptionalLong.empty(), OptionalLong.of(0));
            assertThat(grid.modelVersion()).isEqualTo(1);
            assertThat(grid.label()).hasValue(0);
            assertThat(grid.body()).startsWith(0x89, 'P', 'N', 'G');
            Generated again = http.generate(GenerateFormat.GRID, 4, OptionalLong.of(grid.seed()), OptionalLong.of(0));
            assertThat(again.body()).as("the seed the service picked gives the same grid again").isEqualTo(grid.body());

            assertThatThrownBy(() -> http.generate(GenerateFormat.PNG, 1, OptionalLong.of(1), OptionalLong.of(7)))
                    .isInstanceOfSatisfying(GeneratorApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.error()).isEqualTo("bad_parameter");
                        assertThat(e.getMessage()).contains("label");
                    });
            assertThat(http.activate(1).pinned()).isTrue();
            assertThat(http.activateLatest()).map(ModelInfo::pinned).hasValue(false);
        }
    }

    @Test
    void aRequestNamesItsModelAndMinimumConfidenceAndEachImageComesWithItsConfidence() {
        try (GeneratorClient http = GeneratorClient.connect(pipeline.generatorUrl())) {
            GenerateRequest sixSquares = GenerateRequest.of(GenerateFormat.ZIP, 6).withSeed(5).withLabel(1).withModel("conditional-test");
            Generated all = http.generate(sixSquares);
            assertThat(all.modelName()).hasValue("conditional-test");
            assertThat(all.pngs()).as("the zip's images.json is not one of the PNGs").hasSize(6)
                    .allSatisfy(png -> assertThat(png).startsWith(0x89, 'P', 'N', 'G'));
            assertThat(all.confidences()).hasSize(6).allSatisfy(c -> assertThat(c).isBetween(0.0, 1.0));

            double median = all.confidences().stream().sorted().toList().get(3);
            Generated confident = http.generate(GenerateRequest.of(GenerateFormat.ZIP, 2).withSeed(5).withLabel(1).withMinConfidence(median));
            assertThat(confident.confidences()).hasSize(2).allSatisfy(c -> assertThat(c).isGreaterThanOrEqualTo(median));

            assertThatThrownBy(() -> http.generate(GenerateRequest.of(GenerateFormat.PNG, 1).withMinConfidence(0.99)))
                    .as("the stand-in classifier never reaches 0.99")
                    .isInstanceOfSatisfying(GeneratorApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(422);
                        assertThat(e.error()).isEqualTo("low_confidence");
                    });
            assertThatThrownBy(() -> http.generate(GenerateRequest.of(GenerateFormat.PNG, 1).withModel("no-such-model")))
                    .isInstanceOfSatisfying(GeneratorApiException.class, e -> assertThat(e.status()).isEqualTo(404));
            assertThatThrownBy(() -> GenerateRequest.of(GenerateFormat.PNG, 1).withMinConfidence(1.0))
                    .hasMessageContaining("from 0 to below 1");
        }
    }

    @Test
    void theAugmentationExampleHandsFullBatchesInTheModelsLayoutToItsTrainingStep() {
        try (SyntheticRequestProducer requests = SyntheticRequestProducer.connect(pipeline.bootstrapServers(), Map.of())) {
            requests.send(SyntheticRequest.of(8).withSeed(3), Pipeline.WAIT);
        }
        List<AugmentationConsumer.Batch> batches = new ArrayList<>();
        int delivered = AugmentationConsumer.run(AugmentationConsumer.consumerSettings(pipeline.bootstrapServers(), "augmentation-test", Map.of()),
                RecordNames.SYNTHETIC_IMAGES_TOPIC, 8, 1, Pipeline.WAIT, batches::add);

        assertThat(delivered).isEqualTo(1);
        AugmentationConsumer.Batch batch = batches.getFirst();
        assertThat(batch.size()).isEqualTo(8);
        assertThat(batch.shape()).hasToString("12x12x1");
        assertThat(batch.pixels()).hasSize(8 * 12 * 12);
        for (float v : batch.pixels()) {
            assertThat(v).isBetween(-1f, 1f);
        }
        assertThat(batch.modelVersions()).containsOnly(1L);
        assertThat(java.util.Arrays.stream(batch.labels()).boxed().toList()).as("every image of a conditional model has its class")
                .allSatisfy(label -> assertThat(label).isBetween(0L, 2L));
    }
}
