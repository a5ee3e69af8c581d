package dev.ganpipe.generator.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ganpipe.common.http.HttpError;
import dev.ganpipe.common.http.Request;
import java.nio.charset.StandardCharsets;

/**
 * Hostile query strings on {@code GET /v1/generate}: every query either parses into values within the documented
 * limits (count 1 to --max-count, exactly 1 for png, label 0 or more, columns 1 to count and only for grid) or is
 * refused with a 400 {@code bad_parameter} whose message says what is wrong; never another exception, which the
 * service would answer with a 500.
 */
class GenerateQueryFuzzTest {

    private static final int MAX_COUNT = 64;

    @FuzzTest(maxDuration = "10s")
    void everyQueryParsesWithinTheLimitsOrGets400(byte[] input) {
        String query = new String(input, StandardCharsets.UTF_8);
        GenerateQuery parsed;
        try {
            parsed = GenerateQuery.parse(Request.of("GET", "/v1/generate?" + query), MAX_COUNT);
        } catch (HttpError e) {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo("bad_parameter");
            assertThat(e.getMessage()).isNotBlank().endsWith(".");
            return;
        }
        assertThat(parsed.count()).isBetween(1, MAX_COUNT);
        if (parsed.format() == ResponseFormat.PNG) {
            assertThat(parsed.count()).isEqualTo(1);
        }
        parsed.label().ifPresent(label -> {
            assertThat(label).isNotEmpty().hasSizeLessThanOrEqualTo(200);
            if (label.matches("[+-]?[0-9]+")) { // an index; anything else is a class name the model resolves
                assertThat(Long.parseLong(label)).isBetween(0L, (long) Integer.MAX_VALUE);
            }
        });
        if (parsed.columns().isPresent()) {
            assertThat(parsed.format()).isEqualTo(ResponseFormat.GRID);
            assertThat(parsed.columns().getAsInt()).isBetween(1, parsed.count());
        }
    }
}
