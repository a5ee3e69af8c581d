package dev.ganpipe.ingest.stream;

import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optional duplicate filter: passes an accepted image on to {@code images.train} the first time its id is seen
 * within the window, and holds back (and counts as {@code outcome="duplicate"}) every later copy. It runs after a
 * repartition by image id, so every copy of a picture reaches the same task whatever key or partition it arrived
 * on. The ids live in an in-memory window store backed by a changelog topic (restored after a restart, written in
 * the same transaction as the output under exactly-once), as their 32 raw SHA-256 bytes rather than 64 hex
 * characters, and are forgotten once stream time has moved a whole window past them: memory is bounded by the
 * distinct images per window (see docs/ingest.md).
 */
final class DeduplicateProcessor extends ContextualProcessor<String, byte[], String, byte[]> {

    /** The state store's name (its changelog topic is {@code <application.id>-dedup-image-ids-changelog}). */
    static final String STORE = "dedup-image-ids";

    private static final Logger LOG = LoggerFactory.getLogger(DeduplicateProcessor.class);
    private static final HexFormat HEX = HexFormat.of();

    private final IngestMetrics metrics;
    private final long windowMillis;
    private WindowStore<Bytes, Long> seen;

    private DeduplicateProcessor(IngestMetrics metrics, Duration window) {
        this.metrics = metrics;
        this.windowMillis = window.toMillis();
    }

    /** The processor with its store, for {@code KStream#process}. */
    static ProcessorSupplier<String, byte[], String, byte[]> supplier(IngestMetrics metrics, Duration window) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, byte[], String, byte[]> get() {
                return new DeduplicateProcessor(metrics, window);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(storeBuilder(window));
            }
        };
    }

    /**
     * The store: windows as long as the retention, so an id lives one window, and no duplicates retained (one
     * entry per id and time).
     */
    static StoreBuilder<WindowStore<Bytes, Long>> storeBuilder(Duration window) {
        return Stores.windowStoreBuilder(Stores.inMemoryWindowStore(STORE, window, window, false), Serdes.Bytes(), Serdes.Long());
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        super.init(context);
        this.seen = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (firstSighting(record.key(), record.timestamp())) {
            context().forward(record);
            metrics.accepted();
        } else {
            LOG.debug("Image {} was already accepted within the dedup window; held back from the train topic.", record.key());
            metrics.duplicate();
        }
    }

    /** Whether {@code imageId} is new within the window around {@code timestamp}; if so, it is remembered from now on. */
    private boolean firstSighting(String imageId, long timestamp) {
        Bytes key = Bytes.wrap(HEX.parseHex(imageId));
        // Both sides of the record's time: input from several producers is not in time order.
        try (WindowStoreIterator<Long> earlier = seen.fetch(key, Math.max(0, timestamp - windowMillis), timestamp + windowMillis)) {
            if (earlier.hasNext()) {
                return false;
            }
        }
        seen.put(key, timestamp, timestamp);
        return true;
    }
}
