package dev.ganpipe.bench.trainer;

import dev.ganpipe.bench.scratch.ScratchFolder;
import dev.ganpipe.broker.EmbeddedKafka;
import dev.ganpipe.common.StartedParts;
import dev.ganpipe.common.kafka.KafkaSettings;
import java.io.PrintStream;
import java.util.Optional;

/**
 * The broker of the Kafka-fed row: the one the user names with {@code --bootstrap-servers}, or else a single-node
 * KRaft broker ({@link EmbeddedKafka}, what {@code ./gan broker} runs) that the bench starts in this process, in a
 * temporary folder, and stops with its data on {@link #close()}. So the row needs nothing set up beforehand.
 */
final class FeedBroker implements AutoCloseable {

    private final KafkaSettings kafka;
    private final String description;
    private final boolean embedded;
    private final StartedParts parts;

    private FeedBroker(KafkaSettings kafka, String description, boolean embedded, StartedParts parts) {
        this.kafka = kafka;
        this.description = description;
        this.embedded = embedded;
        this.parts = parts;
    }

    /** The broker the user named; closing leaves it running. */
    static FeedBroker named(KafkaSettings kafka) {
        return new FeedBroker(kafka, kafka.bootstrapServers() + " (--bootstrap-servers)", false, new StartedParts());
    }

    /**
     * Starts a plaintext broker on a free port in a new temporary folder and returns once clients can use it.
     *
     * @throws IllegalStateException when it cannot start; the message says why and what to do
     */
    static FeedBroker embedded(PrintStream log) {
        StartedParts parts = new StartedParts();
        ScratchFolder folder = ScratchFolder.create("gan-bench-trainer-kafka");
        parts.push(folder);
        try {
            log.println("Starting an embedded Kafka broker for the Kafka-fed row (no --bootstrap-servers given) ...");
            EmbeddedKafka broker = EmbeddedKafka.start(folder.resolve("kafka"), 0);
            parts.push(broker);
            return new FeedBroker(KafkaSettings.of(broker.bootstrapServers()), "the bench's own single-node KRaft broker in this JVM, "
                    + broker.bootstrapServers(), true, parts);
        } catch (RuntimeException e) {
            parts.closeAfterFailedStart(e);
            throw e;
        }
    }

    /** How to reach it. */
    KafkaSettings kafka() {
        return kafka;
    }

    /** Which broker it is, for the report. */
    String description() {
        return description;
    }

    /**
     * Why the row cannot use it, or empty when it answers. The embedded broker answers once started; a named one
     * is asked.
     */
    Optional<String> unreachable() {
        return embedded ? Optional.empty() : KafkaFedRun.unreachable(kafka);
    }

    /** Stops the embedded broker and deletes its data; a named broker is left as it is. */
    @Override
    public void close() {
        parts.closeOnce("Stopping the bench's embedded Kafka broker or deleting its temporary folder failed (the exceptions "
                + "below say which); a leftover folder gan-bench-trainer-kafka* in the temporary folder can be deleted by hand.");
    }
}
