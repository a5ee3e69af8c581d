package dev.ganpipe.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ganpipe.common.config.ConfigValues;
import dev.ganpipe.common.metrics.MeterRegistries;
import dev.ganpipe.common.model.ModelDirectory;
import dev.ganpipe.generator.http.GeneratorApi;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratorServiceTest {

    private static TestModels.Trained first;
    private static TestModels.Trained second;
    private static HttpClient client;

    @BeforeAll
    static void trainModels() {
        first = TestModels.first();
        second = TestModels.second();
        client = HttpClient.newHttpClient();
    }

    @AfterAll
    static void closeClient() {
        client.close();
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static GeneratorConfig directoryConfig(Path dir, int port) {
        return GeneratorConfig.from(ConfigValues.parse(GeneratorConfig.spec(), List.of("--host", "127.0.0.1", "--port", Integer.toString(port),
                "--allow-unsigned-models", "--models-from-topic", "false", "--models-dir", dir.toString(), "--models-scan", "100ms", "--ort-provider", "cpu",
                "--requests-stream", "false"), Map.of()));
    }

    @Test
    void theServiceBecomesReadyWhenTheTrainerWritesAModelToTheDirectoryAndSwapsToTheNextOne(@TempDir Path dir) throws Exception {
        ModelDirectory models = new ModelDirectory(dir);
        GeneratorService service = GeneratorService.start(directoryConfig(dir, 0), MeterRegistries.prometheus("generator"));
        int port = service.port();
        try {
            assertThat(get(port, "/readyz").statusCode()).isEqualTo(503);
            assertThat(service.name()).isEqualTo("generator");

            models.write(first.manifest(1), first.onnx());
            await().atMost(Duration.ofSeconds(20)).until(service::ready);
            HttpResponse<String> generated = get(port, "/v1/generate?count=4&seed=1");
            assertThat(generated.statusCode()).isEqualTo(200);
            assertThat(generated.headers().firstValue(GeneratorApi.MODEL_VERSION_HEADER)).hasValue("1");

            models.write(second.manifest(2), second.onnx());
            await().atMost(Duration.ofSeconds(20)).until(() -> service.registry().liveVersion().orElse(0) == 2);
            assertThat(get(port, "/readyz").statusCode()).isEqualTo(200);
            assertThat(get(port, "/v1/generate?count=1").headers().firstValue(GeneratorApi.MODEL_VERSION_HEADER)).hasValue("2");
        } finally {
            service.close();
        }
        service.close();
        assertThat(service.ready()).as("closing unloads the models").isFalse();
    }

    @Test
    void onBootTheServiceLoadsTheNewestModelsAlreadyInTheDirectory(@TempDir Path dir) {
        ModelDirectory models = new ModelDirectory(dir);
        for (int v = 1; v <= 5; v++) {
            models.write((v % 2 == 0 ? second : first).manifest(v), (v % 2 == 0 ? second : first).onnx());
        }
        try (GeneratorService service = GeneratorService.start(directoryConfig(dir, 0), MeterRegistries.prometheus("generator"))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> service.registry().liveVersion().orElse(0) == 5);
            assertThat(service.registry().models()).extracting(m -> m.version()).containsExactly(5L, 4L, 3L);
        }
    }

    @Test
    void mainPrintsHelpAndRefusesBadOptionsWithExitCode2() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);

        assertThat(GeneratorMain.run(List.of("--help"), Map.of(), o, e)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: gan generator").contains("--max-batch");
        assertThat(GeneratorMain.run(List.of("--no-such-option", "1"), Map.of(), o, e)).isEqualTo(GeneratorMain.EXIT_USAGE);
        assertThat(GeneratorMain.run(List.of("--models-from-topic", "false", "--allow-unsigned-models"), Map.of(), o, e)).isEqualTo(GeneratorMain.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--no-such-option").contains("--models-dir");
    }

    @Test
    void mainServesUntilInterruptedAndThenStopsCleanly(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        AtomicInteger exit = new AtomicInteger(-1);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Thread main = Thread.ofPlatform().name("generator-main").start(() -> exit.set(GeneratorMain.run(List.of("--host", "127.0.0.1",
                "--port", Integer.toString(port), "--allow-unsigned-models", "--models-from-topic", "false", "--models-dir", dir.toString(), "--ort-provider", "cpu",
                "--requests-stream", "false"),
                Map.of(), quiet, quiet)));
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> get(port, "/healthz").statusCode() == 200);

        main.interrupt();
        main.join(Duration.ofSeconds(20));

        assertThat(main.isAlive()).isFalse();
        assertThat(exit.get()).isZero();
        try (ServerSocket again = new ServerSocket(port)) {
            assertThat(again.getLocalPort()).as("the port is free again").isEqualTo(port);
        }
    }
}
