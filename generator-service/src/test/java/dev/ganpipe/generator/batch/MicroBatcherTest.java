package dev.ganpipe.generator.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.ganpipe.common.metrics.MetricNames;
import dev.ganpipe.common.model.Noise;
import dev.ganpipe.generator.TestModels;
import dev.ganpipe.generator.model.ModelLease;
import dev.ganpipe.generator.model.ModelRegistry;
import dev.ganpipe.generator.onnx.OrtSessionFactory;
import dev.ganpipe.generator.onnx.OrtSettings;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
    void aLoneClientIsNotMadeToWaitForCompanyThatNeverComesButConcurrentCallsStillShareAPass() throws Exception {
        // A wait far longer than the test's timeout: a lone call that waited for company would fail it.
        try (MicroBatcher batcher = new MicroBatcher(64, Duration.ofMinutes(5), meters);
             ModelLease lease = registry.acquire().orElseThrow()) {
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                for (int i = 0; i < 3; i++) {
                    assertThat(batcher.generate(lease.model(), Noise.gaussian(i, 2, 100), 2)).hasSize(2 * 784);
                }
            });
            DistributionSummary passes = meters.get(MetricNames.GENERATOR_BATCH_SIZE).summary();
            assertThat(passes.count()).isEqualTo(3);
            assertThat(meters.get(MetricNames.GENERATOR_FORWARD).timer().count()).as("each pass timed").isEqualTo(3);
        }
        try (MicroBatcher batcher = new MicroBatcher(8, Duration.ofMillis(200), meters);
             ModelLease lease = registry.acquire().orElseThrow();
             ExecutorService callers = Executors.newFixedThreadPool(8)) {
            DistributionSummary passes = meters.get(MetricNames.GENERATOR_BATCH_SIZE).summary();
            double before = passes.count();
            // Eight calls released together: whichever runs first alone, the others arrive during its pass, so
            // they are merged (passes of at most 8 rows, 4 calls of 2 images).
            CountDownLatch go = new CountDownLatch(1);
            List<Future<float[]>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                float[] z = Noise.gaussian(i, 2, 100);
                results.add(callers.submit(() -> {
                    go.await();
                    return batcher.generate(lease.model(), z, 2);
                }));
            }
            go.countDown();
            for (Future<float[]> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).hasSize(2 * 784);
            }
            assertThat(passes.count() - before).as("8 calls merged into fewer passes").isLessThan(8);
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
