package dev.ganpipe.generator.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ganpipe.common.model.Noise;
import dev.ganpipe.generator.TestModels;
import dev.ganpipe.generator.model.ModelLease;
import dev.ganpipe.generator.model.ModelRegistry;
import dev.ganpipe.generator.onnx.OrtSessionFactory;
import dev.ganpipe.generator.onnx.OrtSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MicroBatcherTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private ModelRegistry registry;

    @BeforeEach
    void loadModel() {
        registry = new ModelRegistry(ModelRegistry.onnxLoader(new OrtSessionFactory(OrtSettings.cpu())), 1, Optional.empty(), meters,
                Clock.systemUTC());
        registry.offer(TestModels.first().manifest(1), TestModels.first().onnx(), "test");
    }

    @AfterEach
    void unload() {
        registry.close();
    }

    @Test
    void anInterruptedCallerStillGetsItsImagesBeforeItsLeaseEndsAndKeepsItsInterrupt() throws Exception {
        try (MicroBatcher batcher = new MicroBatcher(64, Duration.ofMillis(200), meters);
             ModelLease lease = registry.acquire().orElseThrow()) {
            AtomicReference<float[]> images = new AtomicReference<>();
            AtomicBoolean stillInterrupted = new AtomicBoolean();
            Thread caller = Thread.ofPlatform().start(() -> {
                Thread.currentThread().interrupt();
                images.set(batcher.generate(lease.model(), Noise.gaussian(1, 2, 100), 2));
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            });
            caller.join(Duration.ofSeconds(30));

            assertThat(images.get()).hasSize(2 * 784);
            assertThat(stillInterrupted).isTrue();
        }
    }

    @Test
    void aClosedBatcherRefusesCallsWithAShuttingDownError() {
        MicroBatcher batcher = new MicroBatcher(64, Duration.ofMillis(2), meters);
        batcher.close();
        batcher.close();

        try (ModelLease lease = registry.acquire().orElseThrow()) {
            assertThatThrownBy(() -> batcher.generate(lease.model(), Noise.gaussian(1, 1, 100), 1))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("shutting down");
        }
    }
}
