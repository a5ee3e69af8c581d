package dev.ganpipe.ingest.http;

import dev.ganpipe.common.http.HttpService;
import dev.ganpipe.common.metrics.MeterRegistries;
import dev.ganpipe.ingest.publish.RawSink;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The upload API on a real server on a free port, and a client for it; registered as a JUnit extension, it stops
 * both after each test, so the HTTP tests hold no clean-up of their own.
 */
final class UploadApi implements AfterEachCallback {

    private final PrometheusMeterRegistry registry = MeterRegistries.prometheus("ingest-test");
    private final HttpClient client = HttpClient.newHttpClient();
    private HttpService server;

    /** Starts the routes over {@code sink}; {@code ready} answers {@code /readyz}. Returns the sink, for the test's checks. */
    <S extends RawSink> S start(S sink, UploadPolicy policy, BooleanSupplier ready) {
        server = HttpService.start("ingest-test", "127.0.0.1", 0, IngestRoutes.routes(sink, policy, registry, ready), registry,
                "gan.ingest.http");
        return sink;
    }

    /** The address of {@code path} on the running server. */
    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** The registry the routes count into. */
    PrometheusMeterRegistry registry() {
        return registry;
    }

    HttpClient client() {
        return client;
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (server != null) {
            server.close();
        }
        client.close();
    }
}
