package dev.ganpipe.ingest.stream;

import dev.ganpipe.common.image.PngEncoder;
import dev.ganpipe.common.kafka.CloudEvents;
import dev.ganpipe.common.kafka.RawImageHeaders;
import dev.ganpipe.common.kafka.TrainImageHeaders;
import dev.ganpipe.common.streams.DeadLetters;
import dev.ganpipe.images.normalize.ImageNormalizer;
import dev.ganpipe.images.normalize.Outcome;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Normalises each {@code images.raw} record and forwards it to the accepted branch (new key, value and headers:
 * on to {@code images.train}, through the duplicate filter when it is on) or the dead-letter branch (original key
 * and value). Keys differ in type between the two branches, hence {@code Object}.
 */
final class NormalizeProcessor extends ContextualProcessor<byte[], byte[], Object, byte[]> {

    private final ImageNormalizer normalizer;
    private final IngestMetrics metrics;
    private final CloudEvents events;
    private final DeadLetters deadLetters;
    private final boolean countAccepted;
    /**
     * Made in {@link #init} and closed in {@link #close}, not once per instance: Kafka Streams closes the processors of
     * a task it revives (a task corrupted by a broker failover) and then initialises the same instances again, and a
     * Deflater closed for good dead-lettered every later image with "Deflater has been closed" (found by
     * {@code gan bench chaos}, scenario 4).
     */
    private PngEncoder png;

    /**
     * @param countAccepted whether this stage counts accepted images; not when the duplicate filter follows, which
     *        then counts each as accepted or duplicate
     */
    NormalizeProcessor(ImageNormalizer normalizer, IngestMetrics metrics, CloudEvents events, DeadLetters deadLetters, boolean countAccepted) {
        this.normalizer = normalizer;
        this.metrics = metrics;
        this.events = events;
        this.deadLetters = deadLetters;
        this.countAccepted = countAccepted;
    }

    @Override
    public void init(ProcessorContext<Object, byte[]> context) {
        super.init(context);
        png = PngEncoder.compressed();
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        byte[] value = record.value();
        metrics.bytes(value == null ? 0 : value.length);
        Optional<String> label = RawImageHeaders.label(record.headers());
        Outcome outcome = metrics.timeNormalize(() -> normalizer.normalize(value, label));
        switch (outcome) {
            case Outcome.Accepted accepted -> {
                // The image id as event id: the same picture sent twice is the same event, which consumers may drop.
                // The class names travel beside each label, so the trainer and other consumers learn them from the data.
                Headers headers = new TrainImageHeaders(accepted.id(), accepted.label(), accepted.image().shape(),
                        normalizer.settings().classes().names()).write(events);
                context().forward(new Record<>(accepted.id(), accepted.png(png), record.timestamp(), headers), NormalizerTopology.ACCEPTED);
                if (countAccepted) {
                    metrics.accepted();
                }
            }
            case Outcome.Rejected rejected -> {
                // Records always come from the source topic here (no punctuation), so the metadata is present.
                RecordMetadata source = context().recordMetadata().orElseThrow(() -> new IllegalStateException(
                        "The normaliser got a record without source metadata; it must only be fed from " + NormalizerTopology.SOURCE + "."));
                context().forward(deadLetters.letter(record, source, rejected.reason(), rejected.detail()), NormalizerTopology.REJECTED);
                metrics.rejected(rejected.reason());
            }
        }
    }

    @Override
    public void close() {
        if (png != null) {
            png.close();
            png = null;
        }
    }
}
