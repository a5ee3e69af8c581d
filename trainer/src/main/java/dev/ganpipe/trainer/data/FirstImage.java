package dev.ganpipe.trainer.data;

import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.kafka.GanHeaders;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.Topic;
import dev.ganpipe.common.kafka.TrainImageHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;

/**
 * What the earliest record on the training topic says about the data: its image shape, whether it is labelled, and
 * its class names.
 * A trainer without a checkpoint takes its networks from it, so it waits for that record instead of guessing.
 *
 * @param shape the image's {@code gan.image.shape} header, or the PNG's own dimensions for a record without one
 * @param labelled whether it carries a {@code gan.label} header
 * @param classNames the data's class names in label order from its {@code gan.classes} header; empty without one
 */
public record FirstImage(ImageShape shape, boolean labelled, List<String> classNames) {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /**
     * Waits for the earliest usable record on the topic (from its beginning, whatever a consumer group committed) and
     * reads it. A record that says nothing usable (no PNG, no readable shape) or has a shape {@code usable} refuses is
     * passed to {@code skipped} with a sentence, and the wait goes on: one poison record must not decide the networks.
     *
     * @param usable why the trainer cannot train a shape, or empty when it can
     * @param skipped told of every record passed over, with the reason
     * @param waiting polled between fetches; when it turns false the wait ends with an empty result
     * @return empty only when {@code waiting} turned false first
     * @throws IllegalStateException when the topic does not exist
     */
    public static Optional<FirstImage> await(KafkaSettings kafka, Topic<String, byte[]> topic,
            Function<ImageShape, Optional<String>> usable, Consumer<String> skipped, BooleanSupplier waiting) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.groupless(kafka.clientId("gan-trainer-first-image")),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("The training topic " + topic.name() + " does not exist; create the "
                        + "pipeline's topics first (./gan broker or the compose topic-init service does it).");
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (waiting.getAsBoolean()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    String where = record.topic() + "-" + record.partition() + "@" + record.offset();
                    try {
                        FirstImage first = of(record.headers(), record.value());
                        Optional<String> problem = usable.apply(first.shape());
                        if (problem.isEmpty()) {
                            return Optional.of(first);
                        }
                        skipped.accept(where + ": " + problem.get());
                    } catch (IllegalArgumentException e) {
                        skipped.accept(where + ": " + e.getMessage());
                    }
                }
            }
            return Optional.empty();
        }
    }

    /**
     * Reads one training record.
     *
     * @throws IllegalArgumentException when it has no readable shape header and its value is no PNG
     */
    static FirstImage of(Headers headers, byte[] value) {
        Optional<String> header = GanHeaders.text(headers, GanHeaders.IMAGE_SHAPE);
        ImageShape shape;
        try {
            shape = header.isPresent() ? ImageShape.parse(header.get()) : pngShape(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("It says nothing usable about its image (" + e.getMessage() + "), so it cannot "
                    + "decide the trainer's networks; ingest images with 'gan ingest'.", e);
        }
        return new FirstImage(shape, TrainImageHeaders.labelled(headers), TrainImageHeaders.classNames(headers));
    }

    /** Width, height and channels from a PNG's IHDR chunk: gray (colour types 0, 4) is one channel, colour three. */
    private static ImageShape pngShape(byte[] png) {
        if (png == null || png.length < 26 || !java.util.Arrays.equals(png, 0, 8, PNG_SIGNATURE, 0, 8)) {
            throw new IllegalArgumentException("it has no " + GanHeaders.IMAGE_SHAPE + " header and its value is no PNG");
        }
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.wrap(png, 16, 10);
        int width = ihdr.getInt();
        int height = ihdr.getInt();
        int colourType = png[25];
        return new ImageShape(width, height, colourType == 0 || colourType == 4 ? 1 : 3);
    }
}
