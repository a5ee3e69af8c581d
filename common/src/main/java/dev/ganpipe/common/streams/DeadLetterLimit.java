package dev.ganpipe.common.streams;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many original bytes a dead letter may keep. A dead letter is the original record plus error headers, so an
 * original just under its source topic's limit does not fit on the dead-letter topic; the broker would refuse it, and
 * under exactly-once that fails the whole transaction, which stops the stream and, after a restart, fails again on
 * the same record. Such a dead letter is written without the original bytes instead (see {@link DeadLetters}).
 *
 * <p>Two measures: the dead-letter topic's own {@code max.message.bytes} against the whole record, learnt from the
 * broker before the stream starts (for apps whose input may be as large as the topic allows, such as images), or a
 * fixed cap on the value alone (for apps whose valid input is small, such as generation requests).
 */
public final class DeadLetterLimit {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterLimit.class);
    /** Kafka's default {@code max.message.bytes}: assumed when the topic's own setting cannot be read. */
    public static final int KAFKA_DEFAULT = 1_048_588;
    // Record and batch framing around key, value and headers (varints, CRC, timestamps, batch header): well under this.
    private static final int FRAMING_BYTES = 512;

    private final AtomicInteger maxBytes;
    private final boolean valueOnly;

    private DeadLetterLimit(int maxBytes, boolean valueOnly) {
        this.maxBytes = new AtomicInteger(maxBytes);
        this.valueOnly = valueOnly;
    }

    /** No limit: for the topology test driver, which has no broker to refuse anything. */
    public static DeadLetterLimit unlimited() {
        return new DeadLetterLimit(Integer.MAX_VALUE, false);
    }

    /** The dead-letter topic's limit on the whole record: Kafka's default until {@link #learn} reads the topic's own. */
    public static DeadLetterLimit kafkaDefault() {
        return new DeadLetterLimit(KAFKA_DEFAULT, false);
    }

    /**
     * At most {@code maxValueBytes} original bytes, whatever the topic accepts: for input whose valid form is far
     * smaller than a dead letter could hold, so that a huge one is not worth keeping whole.
     */
    public static DeadLetterLimit valueCap(int maxValueBytes) {
        if (maxValueBytes < 0) {
            throw new IllegalArgumentException("A dead letter keeps 0 or more original bytes, not " + maxValueBytes + ".");
        }
        return new DeadLetterLimit(maxValueBytes, true);
    }

    /** The limit in bytes. */
    public int maxBytes() {
        return maxBytes.get();
    }

    /**
     * Reads the dead-letter topic's {@code max.message.bytes} from the broker; when it cannot be read (no
     * DescribeConfigs permission, say), keeps the current limit and says so once.
     */
    public void learn(Admin admin, String topic) throws InterruptedException {
        if (valueOnly) {
            throw new IllegalStateException("A fixed cap on the value learns nothing from the broker; use kafkaDefault() to follow the topic.");
        }
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            Map<ConfigResource, Config> configs = admin.describeConfigs(Set.of(resource)).all().get(30, TimeUnit.SECONDS);
            ConfigEntry entry = configs.get(resource).get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            if (entry != null && entry.value() != null) {
                maxBytes.set(Integer.parseInt(entry.value()));
                return;
            }
            LOG.warn("The broker did not report {} of {}; dead letters larger than {} bytes are written without their original bytes.",
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG, topic, maxBytes());
        } catch (ExecutionException | TimeoutException | NumberFormatException e) {
            LOG.warn("Cannot read {} of {} ({}); dead letters larger than {} bytes are written without their original bytes. Grant "
                    + "DescribeConfigs on the topic to use its own limit.", TopicConfig.MAX_MESSAGE_BYTES_CONFIG, topic, e.toString(), maxBytes());
        }
    }

    /** Whether a record of this key, value and headers fits under the limit. */
    boolean fits(byte[] key, byte[] value, Headers headers) {
        if (valueOnly) {
            return value == null || value.length <= maxBytes();
        }
        long size = FRAMING_BYTES + (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
        for (Header header : headers) {
            size += header.key().length() + (header.value() == null ? 0 : header.value().length) + 10;
        }
        return size <= maxBytes();
    }

    /** Why the original bytes were left out, continuing "The original N bytes are left out of this dead letter". */
    String whyLeftOut() {
        return valueOnly
                ? " (more than " + maxBytes() + ")"
                : ": with them it would exceed the dead-letter topic's max.message.bytes (" + maxBytes() + ")";
    }
}
