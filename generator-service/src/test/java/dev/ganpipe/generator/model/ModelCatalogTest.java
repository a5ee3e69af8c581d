package dev.ganpipe.generator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.metrics.MetricNames;
import dev.ganpipe.generator.TestModels;
import dev.ganpipe.generator.onnx.OrtSessionFactory;
import dev.ganpipe.generator.onnx.OrtSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ModelCatalogTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-06-01T12:00:00Z"), ZoneOffset.UTC);
    private static final ModelRegistry.Loader ONNX = ModelRegistry.onnxLoader(new OrtSessionFactory(OrtSettings.cpu()));
    private static final String OTHER = "emoji-dcgan64";

    private final TestModels.Trained fashion = TestModels.first();
    private final TestModels.Trained other = TestModels.train(5, OTHER, ImageShape.parse("28x28x1"));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private ModelCatalog catalog;

    @AfterEach
    void closeCatalog() {
        if (catalog != null) {
            catalog.close();
        }
    }

    private ModelCatalog catalog(Optional<String> defaultName, int maxModels) {
        return catalog(defaultName, maxModels, Set.of());
    }

    private ModelCatalog catalog(Optional<String> defaultName, int maxModels, Set<String> onlyNames) {
        catalog = new ModelCatalog(ONNX, 2, defaultName, maxModels, onlyNames, ModelTrust.unsignedAllowed(), meters, CLOCK);
        return catalog;
    }

    @Test
    void aSingleModelNeedsNoNameButSeveralWithoutADefaultMustBeNamed() {
        ModelCatalog c = catalog(Optional.empty(), 8);
        assertThat(c.offer(fashion.manifest(1), fashion.onnx(), "test")).isEqualTo(OfferOutcome.APPLIED);
        try (ModelLease lease = c.acquire().orElseThrow()) {
            assertThat(lease.model().manifest().name()).isEqualTo(TestModels.NAME);
        }
        assertThat(c.defaultName()).hasValue(TestModels.NAME);

        assertThat(c.offer(other.manifest(7), other.onnx(), "test")).isEqualTo(OfferOutcome.APPLIED);
        assertThatThrownBy(c::acquire).isInstanceOf(ModelChoiceException.class)
                .hasMessageContaining(TestModels.NAME).hasMessageContaining(OTHER).hasMessageContaining("--model-name");
        assertThat(c.defaultName()).isEmpty();
        assertThat(c.liveVersion()).isEmpty();
        assertThat(c.ready()).isTrue();
        try (ModelLease lease = c.acquire(Optional.of(OTHER), OptionalLong.empty()).orElseThrow()) {
            assertThat(lease.version()).isEqualTo(7);
        }
        assertThatThrownBy(() -> c.acquire(Optional.of("cifar-dcgan32"), OptionalLong.empty()))
                .isInstanceOfSatisfying(ModelChoiceException.class, e -> assertThat(e.unknownName()).isTrue());
        assertThat(meters.get(MetricNames.GENERATOR_MODEL_VERSION).tag(MetricNames.TAG_MODEL, OTHER).gauge().value()).isEqualTo(7.0);
        assertThat(meters.get(MetricNames.GENERATOR_MODEL_VERSION).tag(MetricNames.TAG_MODEL, TestModels.NAME).gauge().value()).isEqualTo(1.0);
    }

    @Test
    void theConfiguredDefaultIsServedToUnnamedRequestsAndDecidesReadiness() {
        ModelCatalog c = catalog(Optional.of(OTHER), 8);
        c.offer(fashion.manifest(1), fashion.onnx(), "test");
        assertThat(c.ready()).as("only another model is live, not the default").isFalse();
        assertThat(c.acquire()).isEmpty();

        c.offer(other.manifest(3), other.onnx(), "test");
        assertThat(c.ready()).isTrue();
        try (ModelLease lease = c.acquire().orElseThrow()) {
            assertThat(lease.model().manifest().name()).isEqualTo(OTHER);
        }
        assertThat(c.liveVersion()).hasValue(3);
    }

    @Test
    void namesBeyondMaxModelsAreRefusedAndANameWhoseModelsWereAllRejectedGivesItsSlotBack() {
        ModelCatalog c = catalog(Optional.empty(), 1);
        byte[] corrupt = fashion.onnx().clone();
        corrupt[corrupt.length / 2] ^= 1;
        assertThat(c.offer(fashion.manifest(1), corrupt, "test")).isEqualTo(OfferOutcome.REJECTED);
        assertThat(c.registries()).isEmpty();

        assertThat(c.offer(other.manifest(1), other.onnx(), "test")).isEqualTo(OfferOutcome.APPLIED);
        assertThat(c.offer(fashion.manifest(2), fashion.onnx(), "test")).as("one name is the most --max-models 1 allows")
                .isEqualTo(OfferOutcome.IGNORED);
        assertThat(c.registries()).containsOnlyKeys(OTHER);
    }

    @Test
    void withListedNamesOnlyThoseAreServed() {
        ModelCatalog c = catalog(Optional.empty(), 8, Set.of(OTHER));
        assertThat(c.offer(fashion.manifest(1), fashion.onnx(), "test")).isEqualTo(OfferOutcome.IGNORED);
        assertThat(c.offer(other.manifest(1), other.onnx(), "test")).isEqualTo(OfferOutcome.APPLIED);
        assertThat(c.registries()).containsOnlyKeys(OTHER);
    }

    @Test
    void aKeptOlderVersionCanBeLeasedByNumberWithoutChangingWhatIsLive() {
        ModelCatalog c = catalog(Optional.empty(), 8);
        c.offer(fashion.manifest(1), fashion.onnx(), "test");
        c.offer(TestModels.second().manifest(2), TestModels.second().onnx(), "test");
        try (ModelLease lease = c.acquire(Optional.empty(), OptionalLong.of(1)).orElseThrow()) {
            assertThat(lease.version()).isEqualTo(1);
        }
        assertThat(c.liveVersion()).hasValue(2);
        assertThatThrownBy(() -> c.acquire(Optional.empty(), OptionalLong.of(9)))
                .isInstanceOfSatisfying(UnavailableModelException.class, e -> assertThat(e.known()).isFalse());
    }
}
