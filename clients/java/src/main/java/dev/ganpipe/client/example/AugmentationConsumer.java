package dev.ganpipe.client.example;

import dev.ganpipe.client.ImageShape;
import dev.ganpipe.client.RecordNames;
import dev.ganpipe.client.SyntheticImage;
import dev.ganpipe.client.SyntheticImageDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A data-augmentation consumer: reads {@code synthetic.images} (answers to {@code synthetic.requests} and continuous
 * mode alike) with {@link SyntheticImageDeserializer}, turns each image into the model's float layout (CHW, [-1, 1])
 * and hands full batches to a training step; here the step prints what it got, and a real pipeline would mix the
 * batch into its own. Offsets are committed only after a batch was handed over, so a crash replays images rather than
 * losing them (at least once). It reads committed records only ({@code read_committed}): the request stream writes in
 * transactions.
 *
 * <p>Run it against the demo's broker with the client jar and kafka-clients on the class path:
 * {@code java -cp gan-client.jar:kafka-clients.jar:... dev.ganpipe.client.example.AugmentationConsumer localhost:9092 10},
 * with continuous mode on ({@code gan generator --continuous-rate 50}) or after sending requests.
 */
public final class AugmentationConsumer {

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

    private AugmentationConsumer() {
    }

    /** {@code AugmentationConsumer [bootstrap-servers] [batches]}: prints ten batches of 64 from localhost:9092 by default. */
    public static void main(String[] args) {
        String bootstrap = args.length > 0 ? args[0] : "localhost:9092";
        int batches = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int delivered = run(consumerSettings(bootstrap, "augmentation-example", Map.of()), RecordNames.SYNTHETIC_IMAGES_TOPIC, 64, batches,
                Duration.ofMinutes(5), AugmentationConsumer::trainOn);
        System.out.println(delivered + " batch(es) of synthetic images went to the training step.");
    }

    /**
     * The consumer settings of this example: group {@code groupId}, committed records only, offsets committed by hand.
     *
     * @param clientProperties any further client settings (security.protocol, sasl.*, ssl.*)
     */
    public static Map<String, Object> consumerSettings(String bootstrapServers, String groupId, Map<String, String> clientProperties) {
        Map<String, Object> settings = new TreeMap<>(clientProperties);
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-client");
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return settings;
    }

    /**
     * Consumes synthetic images from {@code topic} and hands {@code batches} full batches of {@code batchSize} images to
     * {@code trainingStep}, or fewer if {@code timeout} passes first.
     *
     * @return how many batches were handed over
     */
    public static int run(Map<String, Object> settings, String topic, int batchSize, int batches, Duration timeout, Consumer<Batch> trainingStep) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ConsumerRecord<String, SyntheticImage>> pending = new ArrayList<>();
        int delivered = 0;
        try (KafkaConsumer<String, SyntheticImage> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
                new SyntheticImageDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (delivered < batches && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, SyntheticImage> record : consumer.poll(Duration.ofMillis(500))) {
                    pending.add(record);
                    if (pending.size() == batchSize) {
                        trainingStep.accept(batch(pending.stream().map(ConsumerRecord::value).toList()));
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

    /** The images as one batch; every image of a batch must have the same shape. */
    public static Batch batch(List<SyntheticImage> images) {
        ImageShape shape = images.getFirst().shape();
        float[] pixels = new float[images.size() * shape.values()];
        long[] labels = new long[images.size()];
        long[] versions = new long[images.size()];
        for (int i = 0; i < images.size(); i++) {
            SyntheticImage image = images.get(i);
            if (!shape.equals(image.shape())) {
                throw new IllegalStateException("Image " + image.eventId() + " is " + image.shape() + " but the batch is " + shape
                        + "; keep one model shape per training run.");
            }
            image.toModelInput(pixels, i * shape.values());
            labels[i] = image.label().orElse(-1L);
            versions[i] = image.modelVersion();
        }
        return new Batch(pixels, images.size(), shape, labels, versions);
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(List<? extends ConsumerRecord<?, ?>> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<?, ?> record : records) {
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
