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
import java.util.concurrent.atomic.AtomicLong;
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
    void noPassWaitsForCompanyThatNeverComesButConcurrentCallsStillShareOne() throws Exception {
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
        // Four clients, each asking again as soon as it is answered, as HTTP clients do: every pass waits for the
        // calls the last one expected, which come back at once, so while all four are asking no pass waits out
        // maxWait (only the last ones do, as clients finish one by one); with a fixed wait every pass would, since
        // the rows never reach maxBatch.
        try (MicroBatcher batcher = new MicroBatcher(64, Duration.ofSeconds(1), meters);
             ModelLease lease = registry.acquire().orElseThrow();
             ExecutorService clients = Executors.newFixedThreadPool(4)) {
            DistributionSummary passes = meters.get(MetricNames.GENERATOR_BATCH_SIZE).summary();
            double before = passes.count();
            int callsEach = 10;
            AtomicLong fullWaitsWhileAllAsked = new AtomicLong(-1);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                int client = c;
                done.add(clients.submit(() -> {
                    go.await();
                    for (int i = 0; i < callsEach; i++) {
                        assertThat(batcher.generate(lease.model(), Noise.gaussian(client * 100 + i, 2, 100), 2)).hasSize(2 * 784);
                    }
                    fullWaitsWhileAllAsked.compareAndSet(-1, batcher.fullWaits()); // the first client to finish
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> client : done) {
                client.get(120, TimeUnit.SECONDS);
            }
            assertThat(passes.count() - before).as("40 calls from 4 clients merged into fewer passes").isLessThan(40);
            assertThat(fullWaitsWhileAllAsked.get()).as("passes that waited out maxWait while all four clients asked").isLessThanOrEqualTo(1);
        }
    }

    @Test
    void aLoneClientsLargeCallsRunOnItsOwnThreadWithTheSameImagesButChunkedAndSmallCallsStillQueue() {
        try (MicroBatcher batcher = new MicroBatcher(64, Duration.ofMillis(2), meters);
             ModelLease lease = registry.acquire().orElseThrow()) {
            int count = MicroBatcher.ALONE_FROM_IMAGES;
            for (int i = 0; i < 5; i++) {
                float[] z = Noise.gaussian(i, count, 100);
                assertThat(batcher.generate(lease.model(), z, count)).containsExactly(lease.model().generator().generate(z, count));
            }
            // The first call may come before the dispatcher thread waits for work; the others find it idle.
            assertThat(batcher.passesOnCallers()).as("passes run on the caller's thread").isGreaterThanOrEqualTo(4);
            assertThat(meters.get(MetricNames.GENERATOR_FORWARD).timer().count()).as("each pass timed, wherever it ran").isEqualTo(5);

            long before = batcher.passesOnCallers();
            DistributionSummary passes = meters.get(MetricNames.GENERATOR_BATCH_SIZE).summary();
            double passesBefore = passes.count();
            assertThat(batcher.generate(lease.model(), Noise.gaussian(9, 100, 100), 100)).hasSize(100 * 784);
            assertThat(batcher.passesOnCallers()).as("more rows than one pass takes: the dispatcher's chunks").isEqualTo(before);
            assertThat(passes.count() - passesBefore).isEqualTo(2);
            // A small call goes through the dispatcher too, which merges whatever queued meanwhile.
            assertThat(batcher.generate(lease.model(), Noise.gaussian(10, 2, 100), 2)).hasSize(2 * 784);
            assertThat(batcher.passesOnCallers()).as("a call smaller than ALONE_FROM_IMAGES").isEqualTo(before);
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
