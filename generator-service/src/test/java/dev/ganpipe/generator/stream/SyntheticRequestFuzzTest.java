package dev.ganpipe.generator.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Hostile values on {@code synthetic.requests}: every value either parses into a request within the limits (count 1
 * to --max-count, label 0 or more, a model name that is not blank) or is refused with the {@link RequestRejectedException} that sends it to the
 * dead-letter topic with a reason and a sentence; never another exception, which would fail the stream task.
 */
class SyntheticRequestFuzzTest {

    private static final int MAX_COUNT = 256;

    @FuzzTest(maxDuration = "10s")
    void everyValueParsesWithinTheLimitsOrIsRejectedWithAReason(byte[] value) {
        try {
            SyntheticRequest request = SyntheticRequest.parse(value, MAX_COUNT);
            assertThat(request.count()).isBetween(1, MAX_COUNT);
            request.label().ifPresent(label -> assertThat(label).isNotNegative());
            request.model().ifPresent(model -> assertThat(model).isNotBlank().hasSizeLessThanOrEqualTo(200));
        } catch (RequestRejectedException e) {
            assertThat(e.reason()).isNotNull();
            assertThat(e.getMessage()).isNotBlank().endsWith(".");
        }
    }
}
