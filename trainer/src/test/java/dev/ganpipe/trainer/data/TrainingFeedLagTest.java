package dev.ganpipe.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ganpipe.broker.EmbeddedKafka;
import dev.ganpipe.common.image.CanonicalImage;
import dev.ganpipe.common.image.Hashes;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.image.Png;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.kafka.TopicSetup;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The feed's lag on a real broker while the trainer is far behind: the case the endurance bench caught under-reported. */
class TrainingFeedLagTest {

    private static final ImageShape SHAPE = ImageShape.FASHION_MNIST;

    @TempDir
    Path dir;

    @Test
    void aFeedWaitingOnItsFullQueueStillSeesImagesArrivingBehindIt() throws Exception {
        TopicCatalog topics = TopicCatalog.defaults();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
            KafkaSettings settings = KafkaSettings.of(kafka.bootstrapServers());
            try (Admin admin = Admin.create(settings.admin("test"))) {
                TopicSetup.ensure(admin, topics, 1, (short) 1);
            }
            produce(settings, topics, 0, 20);
            try (TrainingFeed feed = new TrainingFeed(settings, "lag-test", topics.train(), SHAPE, 4, new SimpleMeterRegistry())) {
                feed.start();
                // Nobody drains the queue: the feed holds 4 decoded images and waits with the rest of its fetch in hand.
                await().atMost(Duration.ofSeconds(30)).until(() -> feed.consumed() >= 4);
                produce(settings, topics, 20, 500);
                await("the lag counts the 500 images produced while the feed waited").atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> feed.lag() >= 500);
                assertThat(feed.lag()).isLessThanOrEqualTo(520);
            }
        }
    }

    private static void produce(KafkaSettings settings, TopicCatalog topics, int from, int count) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings.producer("test"),
                topics.train().keySerde().serializer(), topics.train().valueSerde().serializer())) {
            Random random = new Random(from);
            for (int i = from; i < from + count; i++) {
                byte[] pixels = new byte[SHAPE.values()];
                random.nextBytes(pixels);
                CanonicalImage image = new CanonicalImage(SHAPE, pixels);
                producer.send(new ProducerRecord<>(topics.imagesTrain(), Hashes.imageId(image), Png.encode(image)));
            }
            producer.flush();
        }
    }
}
