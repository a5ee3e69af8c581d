package dev.ganpipe.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ganpipe.common.kafka.CloudEvents;
import dev.ganpipe.common.kafka.GanHeaders;
import org.apache.kafka.common.header.Headers;

/**
 * The headers every {@code synthetic.images} record carries, whichever channel (request stream, continuous mode)
 * produced it: one contract, so it is checked in one place.
 */
public final class SyntheticImageHeaders {

    private SyntheticImageHeaders() {
    }

    /** The header's text; fails the test when it is missing. */
    public static String text(Headers headers, String name) {
        return GanHeaders.text(headers, name).orElseThrow(() -> new AssertionError("missing header " + name));
    }

    /**
     * Asserts that {@code headers} say the image is image {@code index} of {@code seed} from model {@code version}, as a
     * CloudEvent of the generator's synthetic-image type at {@code time}, with a PNG body.
     */
    public static void assertImage(Headers headers, long version, long seed, int index, String time) {
        assertThat(text(headers, GanHeaders.MODEL_VERSION)).isEqualTo(Long.toString(version));
        assertThat(text(headers, GanHeaders.SEED)).isEqualTo(Long.toString(seed));
        assertThat(text(headers, GanHeaders.INDEX)).isEqualTo(Integer.toString(index));
        assertThat(text(headers, CloudEvents.SOURCE)).isEqualTo("/gan/generator");
        assertThat(text(headers, CloudEvents.TYPE)).isEqualTo("gan.image.synthetic.v1");
        assertThat(text(headers, CloudEvents.TIME)).isEqualTo(time);
        assertThat(text(headers, GanHeaders.CONTENT_TYPE)).isEqualTo("image/png");
    }
}
