package dev.ganpipe.generator.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ganpipe.common.metrics.MetricNames;
import dev.ganpipe.generator.TestModels;
import dev.ganpipe.generator.onnx.OrtSessionFactory;
import dev.ganpipe.generator.onnx.OrtSettings;
import io.micrometer.core.instrument.DistributionSummary;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class MicroBatchingTest {

    private static final int REQUESTS = 24;

    @Test
    void concurrentRequestsAreMergedIntoLargerBatchesAndGetTheSameBytesAsSequentialOnes() throws Exception {
        OrtSessionFactory ort = new OrtSessionFactory(OrtSettings.cpu());
        TestModels.Trained model = TestModels.first();
        // A long wait makes merging certain on a slow test machine; production uses 2 ms.
        try (ApiHarness api = new ApiHarness(ort, ApiSettings.open(1024), 64, Duration.ofMillis(100))) {
            api.publish(model, 1);
            DistributionSummary batches = api.meters.get(MetricNames.GENERATOR_BATCH_SIZE).summary();
            List<byte[]> sequential = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                sequential.add(api.get(query(i)).body());
            }
            long passesBefore = batches.count();
            double imagesBefore = batches.totalAmount();

            List<Future<HttpResponse<byte[]>>> concurrent = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            try (ExecutorService pool = Executors.newFixedThreadPool(REQUESTS)) {
                for (int i = 0; i < REQUESTS; i++) {
                    String q = query(i);
                    concurrent.add(pool.submit(() -> {
                        go.await();
                        return api.get(q);
                    }));
                }
                go.countDown();
                for (int i = 0; i < REQUESTS; i++) {
                    HttpResponse<byte[]> r = concurrent.get(i).get();
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.body()).as("request %d", i).isEqualTo(sequential.get(i));
                }
            }

            long passes = batches.count() - passesBefore;
            double images = batches.totalAmount() - imagesBefore;
            assertThat(passes).as("forward passes for %d concurrent requests", REQUESTS).isLessThan(REQUESTS);
            assertThat(images / passes).as("mean images per forward pass").isGreaterThan(images / REQUESTS);
            assertThat(batches.max()).isGreaterThan(3);
        }
    }

    @Test
    void aRequestLargerThanTheBatchLimitIsSplitAndGivesTheSameImagesAsSmallOnes() {
        OrtSessionFactory ort = new OrtSessionFactory(OrtSettings.cpu());
        TestModels.Trained model = TestModels.first();
        try (ApiHarness small = new ApiHarness(ort, ApiSettings.open(1024), 8, Duration.ofMillis(2));
             ApiHarness large = new ApiHarness(ort, ApiSettings.open(1024), 256, Duration.ofMillis(2))) {
            small.publish(model, 1);
            large.publish(model, 1);

            assertThat(small.get("/v1/generate?count=20&seed=9&format=npy").body())
                    .isEqualTo(large.get("/v1/generate?count=20&seed=9&format=npy").body());
            assertThat(small.meters.get(MetricNames.GENERATOR_BATCH_SIZE).summary().max()).isEqualTo(8);
        }
    }

    private static String query(int i) {
        // Mixed counts and formats, so merged batches hold requests of different sizes.
        return "/v1/generate?seed=" + (100 + i) + "&count=" + (1 + i % 4) + "&format=" + (i % 2 == 0 ? "npy" : "grid");
    }
}
