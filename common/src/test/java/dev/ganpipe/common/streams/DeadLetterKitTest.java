package dev.ganpipe.common.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ganpipe.common.config.ConfigException;
import dev.ganpipe.common.kafka.CloudEvents;
import dev.ganpipe.common.kafka.GanHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** The dead-letter kit keeps one record format for every Streams app, whatever reasons and limits the app has. */
class DeadLetterKitTest {

    private static final CloudEvents EVENTS = new CloudEvents("/gan/test", Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    private static final byte[] KEY = "k".getBytes(StandardCharsets.UTF_8);

    private enum Reason implements DeadLetterReason {
        BROKEN;

        @Override
        public String code() {
            return "broken";
        }
    }

    @Test
    void aDeadLetterCarriesTheReasonTheSourcePositionTheOriginalHeadersAndTheAppsEventType() {
        RecordHeaders original = new RecordHeaders();
        GanHeaders.put(original, GanHeaders.LABEL, "3");
        DeadLetters letters = new DeadLetters("images.dlq", EVENTS, "gan.test.rejected.v1", value -> "text/plain", DeadLetterLimit.unlimited());

        ProducerRecord<byte[], byte[]> letter = letters.record(KEY, new byte[] {1, 2}, original, Reason.BROKEN, "It broke.", "in", 2, 9);

        assertThat(letter.topic()).isEqualTo("images.dlq");
        assertThat(letter.key()).isEqualTo(KEY);
        assertThat(letter.value()).containsExactly(1, 2);
        assertThat(GanHeaders.text(letter.headers(), GanHeaders.LABEL)).hasValue("3");
        assertThat(GanHeaders.text(letter.headers(), GanHeaders.ERROR_REASON)).hasValue("broken");
        assertThat(GanHeaders.text(letter.headers(), GanHeaders.ERROR_DETAIL)).hasValue("It broke.");
        assertThat(GanHeaders.text(letter.headers(), GanHeaders.SOURCE_TOPIC)).hasValue("in");
        assertThat(GanHeaders.text(letter.headers(), GanHeaders.SOURCE_PARTITION)).hasValue("2");
        assertThat(GanHeaders.text(letter.headers(), GanHeaders.SOURCE_OFFSET)).hasValue("9");
        assertThat(GanHeaders.text(letter.headers(), CloudEvents.TYPE)).hasValue("gan.test.rejected.v1");
        assertThat(GanHeaders.text(letter.headers(), GanHeaders.CONTENT_TYPE)).hasValue("text/plain");
        assertThat(original.toArray()).as("the original headers are copied, not changed").hasSize(1);
    }

    @Test
    void aValueCapLeavesOutALargerOriginalAndSaysWhy() {
        DeadLetters letters = new DeadLetters("images.dlq", EVENTS, "gan.test.rejected.v1", value -> "text/plain", DeadLetterLimit.valueCap(4));

        assertThat(letters.record(KEY, new byte[4], new RecordHeaders(), Reason.BROKEN, "Small.", "in", 0, 1).value()).hasSize(4);
        ProducerRecord<byte[], byte[]> big = letters.record(KEY, new byte[5], new RecordHeaders(), Reason.BROKEN, "Big.", "in", 0, 2);
        assertThat(big.value()).isNull();
        assertThat(GanHeaders.text(big.headers(), GanHeaders.ERROR_DETAIL)).hasValue("Big. The original 5 bytes are left out of this dead "
                + "letter (more than 4); they stay on the source topic at the partition and offset in the gan.source.topic headers.");
        assertThatThrownBy(() -> DeadLetterLimit.valueCap(4).learn(null, "images.dlq")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void installPutsTheHandlersAndTheContextIntoTheStreamsConfig() {
        List<StreamErrorKind> handled = new ArrayList<>();
        StreamsHandlerContext context = new StreamsHandlerContext(new DeadLetters("images.dlq", EVENTS, "t", value -> "x",
                DeadLetterLimit.unlimited()), Reason.BROKEN, new FailureWording("test service", "record", "retry."), handled::add);
        Properties skipping = new Properties();
        context.install(skipping, true);
        Properties strict = new Properties();
        context.install(strict, false);

        assertThat(skipping.get(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG)).isEqualTo(DeadLetteringHandler.class.getName());
        assertThat(skipping.get(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG)).isEqualTo(DeadLetteringHandler.class.getName());
        assertThat(skipping.get(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG)).isEqualTo(ProductionFailureHandler.class.getName());
        assertThat(strict).doesNotContainKey(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG);
        assertThat(StreamsHandlerContext.from(Map.of(StreamsHandlerContext.CONFIG_KEY, context))).isSameAs(context);
        assertThat(context.wording().processingDetail(new IllegalStateException("a bug")))
                .isEqualTo("The test service failed on this record (java.lang.IllegalStateException: a bug); retry.");
    }

    @Test
    void aHandlerConfiguredWithoutTheContextSaysHowToBuildTheConfig() {
        assertThatThrownBy(() -> new DeadLetteringHandler().configure(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(StreamsHandlerContext.CONFIG_KEY)
                .hasMessageContaining("StreamsHandlerContext.install");
    }
}
