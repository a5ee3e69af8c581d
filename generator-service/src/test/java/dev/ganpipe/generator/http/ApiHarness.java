package dev.ganpipe.generator.http;

import dev.ganpipe.common.http.HttpService;
import dev.ganpipe.common.metrics.MeterRegistries;
import dev.ganpipe.generator.TestModels;
import dev.ganpipe.generator.batch.MicroBatcher;
import dev.ganpipe.generator.images.Generation;
import dev.ganpipe.generator.model.ModelCatalog;
import dev.ganpipe.generator.model.ModelRegistry;
import dev.ganpipe.generator.model.OfferOutcome;
import dev.ganpipe.generator.onnx.OrtSessionFactory;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** The production routes on a real HTTP server on a free port, with a real registry and batcher, and a client. */
final class ApiHarness implements AutoCloseable {

    final PrometheusMeterRegistry meters = MeterRegistries.prometheus("generator");
    final ModelCatalog registry;
    final MicroBatcher batcher;
    final Generation generation;
    final HttpService http;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ApiHarness(OrtSessionFactory ort, ApiSettings settings, int maxBatch, Duration maxWait) {
        registry = new ModelCatalog(ModelRegistry.onnxLoader(ort), 3, meters, Clock.systemUTC());
        batcher = new MicroBatcher(maxBatch, maxWait, meters);
        generation = new Generation(registry, batcher, meters);
        http = HttpService.start("generator-test", "127.0.0.1", 0, GeneratorApi.routes(generation, settings, meters, registry::ready), meters,
                "gan.generator");
    }

    ApiHarness(OrtSessionFactory ort) {
        this(ort, ApiSettings.open(1024), 256, Duration.ofMillis(2));
    }

    void publish(TestModels.Trained model, long version) {
        OfferOutcome outcome = registry.offer(model.manifest(version), model.onnx(), "test");
        if (outcome != OfferOutcome.APPLIED) {
            throw new IllegalStateException("Test model v" + version + " was not applied: " + outcome);
        }
    }

    HttpResponse<byte[]> get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET().build());
    }

    HttpResponse<byte[]> post(String path, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody());
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return send(b.build());
    }

    HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while calling the test server.", e);
        }
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + http.port() + pathAndQuery);
    }

    @Override
    public void close() {
        http.close();
        batcher.close();
        registry.close();
        client.close();
    }
}
