package dev.ganpipe.bench.trainer;

import dev.ganpipe.common.image.CanonicalImage;
import dev.ganpipe.common.image.Hashes;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.image.Png;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.Topic;
import dev.ganpipe.trainer.data.BatchAssembler;
import dev.ganpipe.trainer.data.ReplayBuffer;
import dev.ganpipe.trainer.data.TrainingBatch;
import dev.ganpipe.trainer.data.TrainingFeed;
import dev.ganpipe.trainer.gan.GanConfig;
import dev.ganpipe.trainer.gan.GanTrainingCore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The trainer fed from a real broker, wired as {@code TrainerService} wires it: a {@link TrainingFeed} consumer
 * thread decoding canonical PNGs, a {@link BatchAssembler} with the service's default replay ratio and idle policy,
 * and {@link GanTrainingCore#trainStep} on the calling thread. The images are produced to a new topic first, so
 * producing does not compete with training; the topic and the consumer group are deleted afterwards.
 */
final class KafkaFedRun {

    /** The trainer's defaults ({@code --replay-ratio}, {@code --replay-capacity}, {@code --idle-policy}). */
    static final double REPLAY_RATIO = 0.5;
    static final BatchAssembler.IdlePolicy IDLE_POLICY = BatchAssembler.IdlePolicy.TRAIN;
    /** Partitions of the bench topic, as {@code ./gan broker} creates {@code images.train}. */
    static final int PARTITIONS = 3;

    private static final Duration BROKER_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration FIRST_BATCH_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(500);

    /**
     * What the Kafka-fed run measured.
     *
     * @param throughput whole steps, waiting for data included
     * @param dataWaitShare share of the timed wall-clock time spent waiting for a batch
     * @param freshImages images in the timed batches that came from Kafka (the rest were replayed)
     * @param produced records produced to the topic before the run
     * @param produceSeconds time it took to encode and produce them
     * @param topic the topic used
     */
    record Result(Throughput throughput, double dataWaitShare, long freshImages, int produced, double produceSeconds, String topic) {

        double freshShare() {
            return freshImages / (double) (throughput.steps() * (long) throughput.batch());
        }
    }

    private KafkaFedRun() {
    }

    /**
     * Why the broker at {@code kafka} cannot be used, or empty when it answers.
     */
    static Optional<String> unreachable(KafkaSettings kafka) {
        try (Admin admin = Admin.create(kafka.admin("gan-bench-probe"))) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) BROKER_TIMEOUT.toMillis()))
                    .clusterId().get(BROKER_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
            return Optional.empty();
        } catch (ExecutionException | TimeoutException e) {
            return Optional.of("no Kafka broker answered at " + kafka.bootstrapServers() + " (" + rootMessage(e)
                    + "); check --bootstrap-servers and --kafka-config, or leave --bootstrap-servers out and the bench starts its own broker");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while contacting Kafka at " + kafka.bootstrapServers() + ".", e);
        }
    }

    /**
     * Produces {@code count} images (cycling through {@code images}) to a new topic, then trains from it for
     * {@code measure} after {@code warmupSteps} untimed steps (at least one: the first batch waits for the consumer
     * to join its group).
     */
    static Result run(KafkaSettings kafka, String topicName, GanConfig config, BenchImages images, int count, int batch,
            int warmupSteps, Duration measure, PrintStream log) throws InterruptedException {
        ImageShape shape = images.shape();
        Topic<String, byte[]> topic = new Topic<>(topicName, Serdes.String(), Serdes.ByteArray());
        String group = topicName + ".trainer";
        try (Admin admin = Admin.create(kafka.admin("gan-bench-admin"))) {
            createTopic(admin, topicName);
            try {
                long t0 = System.nanoTime();
                produce(kafka, topic, images.images(), count);
                double produceSeconds = (System.nanoTime() - t0) / 1e9;
                log.printf("Produced %d PNGs to %s in %.1f s; training from it ...%n", count, topicName, produceSeconds);
                Measured m = train(kafka, topic, group, shape, config, batch, warmupSteps, measure);
                return new Result(m.throughput(), m.dataWaitShare(), m.freshImages(), count, produceSeconds, topicName);
            } finally {
                cleanUp(admin, topicName, group, log);
            }
        }
    }

    private record Measured(Throughput throughput, double dataWaitShare, long freshImages) {
    }

    private static Measured train(KafkaSettings kafka, Topic<String, byte[]> topic, String group, ImageShape shape,
            GanConfig config, int batch, int warmupSteps, Duration measure) throws InterruptedException {
        try (GanTrainingCore core = new GanTrainingCore(config);
                TrainingFeed feed = new TrainingFeed(kafka, group, topic, shape, Math.max(4 * batch, 1024), new SimpleMeterRegistry())) {
            ReplayBuffer replay = new ReplayBuffer(ReplayBuffer.defaultCapacity(shape.values()), config.seed());
            BatchAssembler batches = new BatchAssembler(feed, replay, batch, shape.values(), REPLAY_RATIO, IDLE_POLICY, batch);
            feed.start();
            long firstDeadline = System.nanoTime() + FIRST_BATCH_TIMEOUT.toNanos();
            for (int done = 0; done < Math.max(1, warmupSteps); ) {
                Optional<TrainingBatch> next = batches.next(POLL);
                if (next.isPresent()) {
                    core.trainStep(next.get().pixels(), null, next.get().size());
                    done++;
                } else if (done == 0 && System.nanoTime() > firstDeadline) {
                    throw new IllegalStateException("No batch arrived from " + topic.name() + " within " + FIRST_BATCH_TIMEOUT.toSeconds()
                            + " s although its images were produced; check the broker's log and that this machine can reach "
                            + kafka.bootstrapServers() + ".");
                }
            }
            long waited = 0;
            long fresh = 0;
            StepTimer.Clock clock = StepTimer.Clock.start(measure);
            long end;
            do {
                long t0 = System.nanoTime();
                Optional<TrainingBatch> next = batches.next(POLL);
                long t1 = System.nanoTime();
                waited += t1 - t0;
                end = t1;
                if (next.isPresent()) {
                    core.trainStep(next.get().pixels(), null, next.get().size());
                    end = System.nanoTime();
                    fresh += next.get().fresh();
                    clock.add(end - t0);
                }
            } while (!clock.over(end));
            if (clock.steps() == 0) {
                throw new IllegalStateException("No batch arrived from " + topic.name() + " during the " + measure.toSeconds()
                        + " s measurement; check the broker's log.");
            }
            return new Measured(clock.throughput(batch, end), waited / (double) clock.wallNanos(end), fresh);
        }
    }

    private static void createTopic(Admin admin, String name) throws InterruptedException {
        try {
            // Replication: the broker's default, so the same code works on one broker and on a cluster.
            admin.createTopics(List.of(new NewTopic(name, Optional.of(PARTITIONS), Optional.empty())))
                    .all().get(BROKER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot create the bench topic " + name + " (" + rootMessage(e)
                    + "); the bench's client needs the right to create and delete topics, or choose another --topic-prefix.", e);
        }
    }

    private static void produce(KafkaSettings kafka, Topic<String, byte[]> topic, List<CanonicalImage> images, int count) {
        AtomicReference<Exception> failed = new AtomicReference<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producer("gan-bench-producer"),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            for (int i = 0; i < count && failed.get() == null; i++) {
                CanonicalImage image = images.get(i % images.size());
                // The images.train contract: canonical PNG keyed by the image id.
                producer.send(new ProducerRecord<>(topic.name(), Hashes.imageId(image), Png.encode(image)), (metadata, e) -> {
                    if (e != null) {
                        failed.compareAndSet(null, e);
                    }
                });
            }
            producer.flush(); // flush() itself does not report failed sends: the callbacks do
        }
        if (failed.get() != null) {
            throw new IllegalStateException("Producing the bench images to " + topic.name() + " failed ("
                    + rootMessage(failed.get()) + "); check the broker's log and free disk space.", failed.get());
        }
    }

    private static void cleanUp(Admin admin, String topic, String group, PrintStream log) throws InterruptedException {
        try {
            admin.deleteConsumerGroups(List.of(group)).all().get(BROKER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.println("Warning: could not delete the bench consumer group " + group + " (" + rootMessage(e)
                    + "); delete it with kafka-consumer-groups.sh --delete --group " + group + ".");
        }
        try {
            admin.deleteTopics(List.of(topic)).all().get(BROKER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.println("Warning: could not delete the bench topic " + topic + " (" + rootMessage(e)
                    + "); delete it with kafka-topics.sh --delete --topic " + topic + ".");
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
