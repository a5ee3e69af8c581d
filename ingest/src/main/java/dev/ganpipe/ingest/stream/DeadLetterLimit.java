package dev.ganpipe.ingest.stream;

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
 * The largest record the dead-letter topic accepts ({@code max.message.bytes}), learnt from the broker before the
 * normaliser starts. A dead letter is the original record plus error headers, so an original just under the raw
 * topic's limit does not fit; the broker would refuse it, and under exactly-once that fails the whole transaction,
 * which stops the normaliser and, after a restart, fails again on the same record. Such a dead letter is written
 * without the original bytes instead (see {@link DeadLetters#keptValue}).
 */
public final class DeadLetterLimit {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterLimit.class);
    /** Kafka's default {@code max.message.bytes}: assumed when the topic's own setting cannot be read. */
    public static final int KAFKA_DEFAULT = 1_048_588;
    // Record and batch framing around key, value and headers (varints, CRC, timestamps, batch header): well under this.
    private static final int FRAMING_BYTES = 512;

    private final AtomicInteger maxBytes;

    private DeadLetterLimit(int maxBytes) {
        this.maxBytes = new AtomicInteger(maxBytes);
    }

    /** No limit: for the topology test driver, which has no broker to refuse anything. */
    public static DeadLetterLimit unlimited() {
        return new DeadLetterLimit(Integer.MAX_VALUE);
    }

    /** Kafka's default until {@link #learn} reads the topic's own. */
    public static DeadLetterLimit kafkaDefault() {
        return new DeadLetterLimit(KAFKA_DEFAULT);
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
        long size = FRAMING_BYTES + (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
        for (Header header : headers) {
            size += header.key().length() + (header.value() == null ? 0 : header.value().length) + 10;
        }
        return size <= maxBytes();
    }
}
