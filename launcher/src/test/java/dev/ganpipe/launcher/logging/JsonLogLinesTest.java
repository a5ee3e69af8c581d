package dev.ganpipe.launcher.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ganpipe.common.http.HttpService;
import dev.ganpipe.common.http.Response;
import dev.ganpipe.common.http.Routes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** {@code --log-format json} through the real backend and a real HTTP service: a request's lines carry its id. */
class JsonLogLinesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final org.slf4j.Logger HANDLER_LOG = LoggerFactory.getLogger("dev.ganpipe.test.Handler");

    private final ByteArrayOutputStream lines = new ByteArrayOutputStream();
    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private OutputStreamAppender<ILoggingEvent> appender;

    @BeforeEach
    void logToMemoryAsJson() {
        appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setName("memory");
        appender.setEncoder(new JsonLineEncoder());
        appender.getEncoder().setContext(context);
        appender.getEncoder().start();
        appender.setOutputStream(lines);
        appender.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    }

    @AfterEach
    void detach() {
        context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
        appender.stop();
    }

    @Test
    void everyLineLoggedWhileHandlingARequestCarriesThatRequestsId() throws Exception {
        Routes routes = new Routes()
                .get("/work", request -> {
                    MDC.put("modelVersion", "7");
                    HANDLER_LOG.info("handling \"work\"\nsecond line");
                    HANDLER_LOG.warn("still handling", new IllegalStateException("a cause"));
                    return Response.text(200, "done");
                });
        HttpResponse<String> first;
        HttpResponse<String> second;
        try (HttpService service = HttpService.start("json-log-test", "127.0.0.1", 0, routes, new SimpleMeterRegistry(), "gan.test");
                HttpClient client = HttpClient.newHttpClient()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + "/work")).build();
            first = client.send(request, HttpResponse.BodyHandlers.ofString());
            second = client.send(request, HttpResponse.BodyHandlers.ofString());
        }
        HANDLER_LOG.info("outside any request");

        List<JsonNode> logged = parsedLines();
        List<JsonNode> handling = logged.stream().filter(line -> line.path("logger").asText().equals("dev.ganpipe.test.Handler")).toList();
        assertThat(handling).hasSize(5);
        String firstId = first.headers().firstValue(HttpService.REQUEST_ID_HEADER).orElseThrow();
        String secondId = second.headers().firstValue(HttpService.REQUEST_ID_HEADER).orElseThrow();
        assertThat(firstId).isNotEqualTo(secondId);
        assertThat(handling.subList(0, 2)).allSatisfy(line -> assertThat(line.path("requestId").asText()).isEqualTo(firstId));
        assertThat(handling.subList(2, 4)).allSatisfy(line -> assertThat(line.path("requestId").asText()).isEqualTo(secondId));
        assertThat(handling.subList(0, 4)).allSatisfy(line -> assertThat(line.path("modelVersion").asText()).isEqualTo("7"));
        assertThat(handling.get(0).path("message").asText()).isEqualTo("handling \"work\"\nsecond line");
        assertThat(handling.get(1).path("error").asText()).contains("IllegalStateException: a cause");
        assertThat(handling.get(1).path("level").asText()).isEqualTo("WARN");
        // The context ends with the request.
        assertThat(handling.get(4).has("requestId")).isFalse();
        assertThat(handling.get(4).has("modelVersion")).isFalse();
    }

    @Test
    void theOptionIsTakenOutOfTheArgumentsAndAnUnknownFormatIsRefused() {
        assertThat(LogSetup.apply(List.of("generator", "--log-format", "text", "--port", "0"), Map.of()))
                .containsExactly("generator", "--port", "0");
        assertThat(LogSetup.apply(List.of("--log-format=text", "trainer"), Map.of())).containsExactly("trainer");
        assertThatThrownBy(() -> LogSetup.apply(List.of("generator", "--log-format", "yaml"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--log-format json");
        assertThatThrownBy(() -> LogSetup.apply(List.of("generator"), Map.of("GAN_LOG_FORMAT", "xml")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private List<JsonNode> parsedLines() throws Exception {
        List<JsonNode> parsed = new ArrayList<>();
        for (String line : lines.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                parsed.add(JSON.readTree(line));   // every line must be one valid JSON object
            }
        }
        return parsed;
    }
}
