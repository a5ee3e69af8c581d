package dev.ganpipe.generator.example;

import dev.ganpipe.common.image.CanonicalImage;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.image.ModelPixels;
import dev.ganpipe.common.image.Png;
import dev.ganpipe.common.kafka.SyntheticImageHeaders;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.Topic;
import dev.ganpipe.common.kafka.TopicCatalog;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A data-augmentation consumer: reads {@code synthetic.images} (answers to {@code synthetic.requests} and
 * continuous mode alike), decodes each PNG into the model's float layout (NCHW, [-1, 1]) and hands full batches to
 * a training step; here the step just prints what it got, and a real pipeline would mix the batch into its own.
 * Offsets are committed only after a batch was handed over, so a crash replays images rather than losing them
 * (at least once). It reads committed records only ({@code read_committed}), as the request stream writes in
 * transactions.
 *
 * <p>Run it against the demo's broker: {@code java -cp <generator-service classpath>
 * dev.ganpipe.generator.example.AugmentationConsumerExample localhost:9092 10}, with continuous mode on
 * ({@code gan generator --continuous-rate 50}) or after sending a request to {@code synthetic.requests}.
 */
public final class AugmentationConsumerExample {

    /**
     * One batch for a training step.
     *
     * @param pixels {@code size * C * H * W} floats in [-1, 1], NCHW, as the trainer feeds its models
     * @param size images in the batch
     * @param shape the shape of each image
     * @param labels each image's class ({@code gan.label}), or -1 from an unconditional model
     * @param modelVersions the version of the generator that made each image ({@code gan.model.version})
     */
    public record Batch(float[] pixels, int size, ImageShape shape, long[] labels, long[] modelVersions) {
    }

    private AugmentationConsumerExample() {
    }

    /** {@code AugmentationConsumerExample [bootstrap-servers] [batches]}: prints ten batches of 64 from localhost:9092 by default. */
    public static void main(String[] args) {
        String bootstrap = args.length > 0 ? args[0] : "localhost:9092";
        int batches = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int delivered = run(KafkaSettings.of(bootstrap), TopicCatalog.defaults().synthetic(), "augmentation-example", 64, batches,
                Duration.ofMinutes(5), AugmentationConsumerExample::trainOn);
        System.out.println(delivered + " batch(es) of synthetic images went to the training step.");
    }

    /**
     * Consumes synthetic images in consumer group {@code groupId} and hands {@code batches} full batches of
     * {@code batchSize} images to {@code trainingStep}, or fewer if {@code timeout} passes first.
     *
     * @return how many batches were handed over
     */
    public static int run(KafkaSettings kafka, Topic<String, byte[]> topic, String groupId, int batchSize, int batches, Duration timeout,
            Consumer<Batch> trainingStep) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ConsumerRecord<String, byte[]>> pending = new ArrayList<>();
        int delivered = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.consumer(groupId + "-client", groupId),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            while (delivered < batches && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    pending.add(record);
                    if (pending.size() == batchSize) {
                        trainingStep.accept(decode(pending));
                        // Commit exactly what the training step now has: the offset after each partition's last record.
                        consumer.commitSync(nextOffsets(pending));
                        pending.clear();
                        if (++delivered == batches) {
                            break;
                        }
                    }
                }
            }
        }
        return delivered;
    }

    /** Decodes PNG records into one batch (every image of a batch must have the same shape). */
    static Batch decode(List<ConsumerRecord<String, byte[]>> records) {
        ImageShape shape = null;
        float[] pixels = null;
        long[] labels = new long[records.size()];
        long[] versions = new long[records.size()];
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, byte[]> record = records.get(i);
            CanonicalImage image = decodePng(record);
            if (shape == null) {
                shape = image.shape();
                pixels = new float[records.size() * shape.values()];
            } else if (!shape.equals(image.shape())) {
                throw new IllegalStateException("Image " + record.key() + " at " + record.topic() + "-" + record.partition() + "@" + record.offset()
                        + " is " + image.shape() + " but the batch is " + shape + "; keep one model shape per training run.");
            }
            ModelPixels.toModelInput(image, pixels, i * shape.values());
            labels[i] = SyntheticImageHeaders.label(record.headers()).orElse(-1L);
            versions[i] = SyntheticImageHeaders.modelVersion(record.headers()).orElse(-1L);
        }
        return new Batch(pixels, records.size(), shape, labels, versions);
    }

    private static CanonicalImage decodePng(ConsumerRecord<String, byte[]> record) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(record.value()));
            if (image == null) {
                throw new IllegalStateException("The record at " + record.topic() + "-" + record.partition() + "@" + record.offset()
                        + " is not a PNG; synthetic.images holds PNGs only.");
            }
            return Png.fromBufferedImage(image, image.getColorModel().getNumColorComponents() == 1 ? 1 : 3);
        } catch (IOException e) {
            throw new IllegalStateException("The PNG at " + record.topic() + "-" + record.partition() + "@" + record.offset()
                    + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(List<ConsumerRecord<String, byte[]>> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            offsets.merge(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        return offsets;
    }

    /** Where a real pipeline would mix the batch into its own training data; this one reports what arrived. */
    private static void trainOn(Batch batch) {
        double sum = 0;
        for (float v : batch.pixels()) {
            sum += v;
        }
        System.out.printf(Locale.ROOT, "training step: %d synthetic %s images, mean pixel %.3f, labels %s, model versions %s%n",
                batch.size(), batch.shape(), sum / batch.pixels().length, Arrays.stream(batch.labels()).distinct().sorted().boxed().toList(),
                Arrays.stream(batch.modelVersions()).distinct().sorted().boxed().toList());
    }
}
