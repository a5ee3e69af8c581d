package dev.ganpipe.reliability.security;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/** What a service's {@code /readyz} says, as the security tests wait for it. */
final class Readyz {

    private Readyz() {
    }

    /** Polls {@code /readyz} until it answers 503 with a body containing {@code expected}; returns that body. */
    static String awaitNotReady(int port, String expected) {
        AtomicReference<String> body = new AtomicReference<>("");
        try (HttpClient http = HttpClient.newHttpClient()) {
            await().atMost(TopicReader.WAIT).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                body.set(response.body());
                return response.statusCode() == 503 && response.body().contains(expected);
            });
        }
        return body.get();
    }
}
