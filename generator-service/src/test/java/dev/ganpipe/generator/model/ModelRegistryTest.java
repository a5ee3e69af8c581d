package dev.ganpipe.generator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ganpipe.common.metrics.MetricNames;
import dev.ganpipe.common.model.ModelManifest;
import dev.ganpipe.common.model.Noise;
import dev.ganpipe.generator.TestModels;
import dev.ganpipe.generator.onnx.OrtSessionFactory;
import dev.ganpipe.generator.onnx.OrtSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ModelRegistryTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-06-01T12:00:00Z"), ZoneOffset.UTC);
    private static final ModelRegistry.Loader ONNX = ModelRegistry.onnxLoader(new OrtSessionFactory(OrtSettings.cpu()));

    // TestModels trains each model once per JVM; these are that JVM's models, not copies.
    private final TestModels.Trained first = TestModels.first();
    private final TestModels.Trained second = TestModels.second();

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private ModelRegistry registry;

    @AfterEach
    void closeRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    private ModelRegistry registry(int keep) {
        registry = new ModelRegistry(ONNX, keep, Optional.empty(), meters, CLOCK);
        return registry;
    }

    private double swaps(String outcome) {
        return meters.get(MetricNames.GENERATOR_MODEL_SWAPS).tag("outcome", outcome).counter().count();
    }

    @Test
    void theNewestVersionIsLiveUnlessAnOperatorPinsAnother() {
        ModelRegistry r = registry(3);
        assertThat(r.ready()).isFalse();
        assertThat(r.acquire()).isEmpty();

        assertThat(r.offer(first.manifest(1), first.onnx(), "test")).isEqualTo(OfferOutcome.APPLIED);
        assertThat(r.offer(second.manifest(2), second.onnx(), "test")).isEqualTo(OfferOutcome.APPLIED);
        assertThat(r.liveVersion()).hasValue(2);

        r.activate(1);
        assertThat(r.liveVersion()).hasValue(1);
        assertThat(r.pinnedVersion()).hasValue(1);
        r.offer(second.manifest(3), second.onnx(), "test");
        assertThat(r.liveVersion()).as("a pin holds while newer versions arrive").hasValue(1);

        r.unpin();
        assertThat(r.liveVersion()).hasValue(3);
        assertThat(r.models()).extracting(ModelInfo::version, ModelInfo::active, ModelInfo::status)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(3L, true, "loaded"),
                        org.assertj.core.groups.Tuple.tuple(2L, false, "loaded"),
                        org.assertj.core.groups.Tuple.tuple(1L, false, "loaded"));
        assertThat(r.models().getFirst().loadedAt()).isEqualTo("2025-06-01T12:00:00Z");
        assertThat(swaps("applied")).isEqualTo(3);
    }

    @Test
    void aModelWhoseBytesDoNotMatchTheirChecksumIsRejectedAndTheOldOneKeepsServing() {
        ModelRegistry r = registry(3);
        r.offer(first.manifest(1), first.onnx(), "test");
        byte[] garbage = new byte[first.onnx().length];
        new Random(9).nextBytes(garbage);

        assertThat(r.offer(first.manifest(2), garbage, "test")).isEqualTo(OfferOutcome.REJECTED);

        assertThat(r.liveVersion()).hasValue(1);
        assertThat(swaps("rejected")).isEqualTo(1);
        ModelInfo rejected = r.models().getFirst();
        assertThat(rejected.status()).isEqualTo("rejected");
        assertThat(rejected.reason()).contains("sha256");
        assertThatThrownBy(() -> r.activate(2)).isInstanceOf(UnavailableModelException.class).hasMessageContaining("rejected");
    }

    @Test
    void aModelOnnxRuntimeRefusesIsRejectedEvenWhenItsChecksumMatches() {
        ModelRegistry r = registry(3);
        r.offer(first.manifest(1), first.onnx(), "test");
        byte[] garbage = new byte[2048];
        new Random(10).nextBytes(garbage);
        ModelManifest honest = new ModelManifest(TestModels.NAME, 2, dev.ganpipe.common.image.Hashes.sha256(garbage), 0,
                Instant.EPOCH, TestModels.SHAPE, TestModels.NOISE_DIM, null);

        assertThat(r.offer(honest, garbage, "test")).isEqualTo(OfferOutcome.REJECTED);
        assertThat(r.liveVersion()).hasValue(1);
        assertThat(r.models().getFirst().reason()).contains("ONNX Runtime refused");
    }

    @Test
    void aModelWithTheWrongImageShapeIsRejected() {
        ModelRegistry r = registry(3);
        ModelManifest m = first.manifest(1);
        ModelManifest wrongShape = new ModelManifest(m.name(), 1, m.sha256(), 0, m.createdAt(), "64x64x3", m.noiseDim(), null);

        assertThat(r.offer(wrongShape, first.onnx(), "test")).isEqualTo(OfferOutcome.REJECTED);
        assertThat(r.ready()).isFalse();
    }

    @Test
    void anOldSessionStaysOpenUntilItsLastRequestIsDoneAndClosesThen() {
        ModelRegistry r = registry(1);
        r.offer(first.manifest(1), first.onnx(), "test");
        ModelLease lease = r.acquire().orElseThrow();

        r.offer(second.manifest(2), second.onnx(), "test");

        assertThat(r.liveVersion()).hasValue(2);
        assertThat(lease.model().isClosed()).as("still leased").isFalse();
        assertThat(lease.model().generator().generate(Noise.gaussian(1, 1, 100), 1)).hasSize(784);
        assertThat(r.models()).extracting(ModelInfo::version, ModelInfo::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2L, "loaded"), org.assertj.core.groups.Tuple.tuple(1L, "retired"));
        lease.close();
        lease.close();
        assertThat(lease.model().isClosed()).isTrue();
        assertThatThrownBy(() -> r.activate(1)).isInstanceOf(UnavailableModelException.class).hasMessageContaining("--keep-versions");
    }

    @Test
    void theSameModelFromTwoSourcesIsLoadedOnceAndOldVersionsBeyondTheKeptOnesAreSkipped() {
        ModelRegistry r = registry(1);
        assertThat(r.offer(second.manifest(5), second.onnx(), "directory")).isEqualTo(OfferOutcome.APPLIED);
        assertThat(r.offer(second.manifest(5), second.onnx(), "topic")).isEqualTo(OfferOutcome.DUPLICATE);
        assertThat(r.offer(first.manifest(4), first.onnx(), "topic")).isEqualTo(OfferOutcome.IGNORED);
        assertThat(r.offer(first.manifest(5), first.onnx(), "topic")).as("a reused version with other bytes").isEqualTo(OfferOutcome.REJECTED);

        assertThat(r.liveVersion()).hasValue(5);
        assertThat(swaps("applied")).isEqualTo(1);
    }

    @Test
    void onlyTheConfiguredModelNameIsServed() {
        registry = new ModelRegistry(ONNX, 3, Optional.of("other-model"), meters, CLOCK);

        assertThat(registry.offer(first.manifest(1), first.onnx(), "test")).isEqualTo(OfferOutcome.IGNORED);
        assertThat(registry.ready()).isFalse();
    }

    @Test
    void swappingChangesWhichWeightsAnswer() {
        ModelRegistry r = registry(3);
        r.offer(first.manifest(1), first.onnx(), "test");
        float[] z = Noise.gaussian(7, 1, 100);
        float[] fromFirst;
        try (ModelLease lease = r.acquire().orElseThrow()) {
            fromFirst = lease.model().generator().generate(z, 1);
        }
        r.offer(second.manifest(2), second.onnx(), "test");
        try (ModelLease lease = r.acquire().orElseThrow()) {
            assertThat(lease.version()).isEqualTo(2);
            assertThat(Arrays.equals(lease.model().generator().generate(z, 1), fromFirst)).isFalse();
        }
    }

    @Test
    void closingUnloadsEveryModel() {
        ModelRegistry r = registry(3);
        r.offer(first.manifest(1), first.onnx(), "test");
        ModelLease lease = r.acquire().orElseThrow();

        r.close();

        assertThat(r.ready()).isFalse();
        assertThat(lease.model().isClosed()).isFalse();
        lease.close();
        assertThat(lease.model().isClosed()).isTrue();
        assertThat(r.offer(second.manifest(2), second.onnx(), "test")).isEqualTo(OfferOutcome.IGNORED);
    }
}
