package dev.ganpipe.common.kafka;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the pipeline's topics explicitly (never through auto-creation), with the settings DESIGN.md asks for:
 * the models topic compacted and able to hold whole ONNX files, the image topics able to hold ingest's largest image.
 */
public final class TopicSetup {

    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

    private TopicSetup() {
    }

    /** The largest encoded image ingest takes by default ({@code --max-bytes}); the image topics are sized for it. */
    public static final int DEFAULT_MAX_IMAGE_BYTES = 10 * 1024 * 1024;

    /** Room for what a record adds to its image: key, CloudEvents and error headers, batch framing. */
    static final int RECORD_OVERHEAD_BYTES = 64 * 1024;

    /**
     * The {@code max.message.bytes} (and producer {@code max.request.size}) that lets a record carry an image of
     * {@code maxImageBytes}: Kafka's default of 1 MiB would refuse most of what {@code --max-bytes} allows.
     */
    public static int maxRecordBytes(int maxImageBytes) {
        return (int) Math.min(Integer.MAX_VALUE, (long) maxImageBytes + RECORD_OVERHEAD_BYTES);
    }

    /** The topics of the catalog with their partition counts and configs, sized for {@link #DEFAULT_MAX_IMAGE_BYTES}. */
    public static List<NewTopic> newTopics(TopicCatalog topics, int partitions, short replication) {
        return newTopics(topics, partitions, replication, DEFAULT_MAX_IMAGE_BYTES);
    }

    /**
     * The {@code min.insync.replicas} of a topic with {@code replication} replicas: 2 from three replicas up, so that an
     * acknowledged write (acks=all) survives the loss of any one broker while one broker may be down; otherwise 1.
     */
    public static int minInsyncReplicas(short replication) {
        return replication >= 3 ? 2 : 1;
    }

    /**
     * The topics of the catalog with their partition counts and configs: {@code images.raw} and {@code images.dlq}
     * (which keeps the original bytes) hold records of {@link #maxRecordBytes(int)}; from three replicas up every topic
     * sets {@link #minInsyncReplicas(short)} (below that the broker's default of 1 is the same).
     */
    public static List<NewTopic> newTopics(TopicCatalog topics, int partitions, short replication, int maxImageBytes) {
        List<NewTopic> result = new ArrayList<>();
        Map<String, String> imageLimit = Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(maxRecordBytes(maxImageBytes)));
        result.add(new NewTopic(topics.imagesRaw(), partitions, replication).configs(replicated(imageLimit, replication)));
        result.add(new NewTopic(topics.imagesTrain(), partitions, replication).configs(replicated(Map.of(), replication)));
        result.add(new NewTopic(topics.imagesDlq(), partitions, replication).configs(replicated(imageLimit, replication)));
        for (String name : List.of(topics.syntheticRequests(), topics.syntheticImages())) {
            result.add(new NewTopic(name, partitions, replication).configs(replicated(Map.of(), replication)));
        }
        // One partition: models are ordered by version, and the service reads the whole topic on boot.
        result.add(new NewTopic(topics.modelsGenerator(), 1, replication).configs(replicated(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(KafkaSettings.MAX_MODEL_BYTES),
                TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, "60000"), replication)));
        return result;
    }

    /** {@code configs} with {@code min.insync.replicas} added when the topic has three replicas or more; null when empty. */
    private static Map<String, String> replicated(Map<String, String> configs, short replication) {
        Map<String, String> result = new HashMap<>(configs);
        if (replication >= 3) {
            result.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsyncReplicas(replication)));
        }
        return result.isEmpty() ? null : Map.copyOf(result);
    }

    /**
     * Waits until the leader of every partition of the new topics serves it. An idempotent producer whose first
     * request reaches a partition before its broker has applied the topic's creation gets a retriable error for that
     * request while a later one is appended; every retry of the first then fails with an out-of-order sequence error
     * until the delivery timeout drops its records (KAFKA-15591, not fixed in Kafka 4.4; seen here as silently missing
     * images in a test that produced right after creating its topics). A partition leader in the metadata is not
     * enough, because the broker's metadata cache learns of it before its replica manager does; a successful
     * ListOffsets is answered by the replica manager itself.
     */
    private static void awaitServed(Admin admin, List<String> names) throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
                admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).values().forEach(d -> d.partitions()
                        .forEach(p -> partitions.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
                admin.listOffsets(partitions).all().get(30, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                // Unknown topic, no leader yet, not leader yet: the creation is still being applied; ask again.
                if (!(e.getCause() instanceof RetriableException)) {
                    throw e;
                }
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("The partitions of " + names + " were not served by their leaders within 60 s ("
                            + e.getCause().getMessage() + ").");
                }
            }
            Thread.sleep(100);
        }
    }

    /** Creates the topics; a refusal names them (the broker's own exception does not). */
    private static void createOrExplain(Admin admin, List<NewTopic> topics) throws InterruptedException, ExecutionException, TimeoutException {
        try {
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicAuthorizationException denied && denied.unauthorizedTopics().isEmpty()) {
                Set<String> names = new TreeSet<>(topics.stream().map(NewTopic::name).toList());
                throw new ExecutionException(new TopicAuthorizationException("Not authorized to create the topic(s) " + names
                        + " (the principal needs Create and Describe on them, or the topics must exist).", names));
            }
            throw e;
        }
    }

    /** As {@link #ensure(Admin, TopicCatalog, int, short, int)} for images of {@link #DEFAULT_MAX_IMAGE_BYTES}. */
    public static Set<String> ensure(Admin admin, TopicCatalog topics, int partitions, short replication) {
        return ensure(admin, topics, partitions, replication, DEFAULT_MAX_IMAGE_BYTES);
    }

    /**
     * Creates every missing topic of the catalog; existing topics are left as they are.
     *
     * @param maxImageBytes the largest encoded image the image topics must hold (ingest's {@code --max-bytes})
     * @return the names created by this call
     */
    public static Set<String> ensure(Admin admin, TopicCatalog topics, int partitions, short replication, int maxImageBytes) {
        try {
            Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            List<NewTopic> missing = newTopics(topics, partitions, replication, maxImageBytes).stream()
                    .filter(topic -> !existing.contains(topic.name()))
                    .toList();
            if (!missing.isEmpty()) {
                createOrExplain(admin, missing);
                awaitServed(admin, missing.stream().map(NewTopic::name).toList());
                LOG.info("Created topics {}", missing.stream().map(NewTopic::name).toList());
            }
            return Set.copyOf(missing.stream().map(NewTopic::name).toList());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating the pipeline's topics.", e);
        } catch (ExecutionException | TimeoutException e) {
            // Wrong credentials or a missing ACL would otherwise read as "is the broker up?".
            throw KafkaAccessException.of(e).<RuntimeException>map(denied -> denied).orElseGet(() -> new IllegalStateException(
                    "Could not create the pipeline's topics; check that the broker at the configured bootstrap servers is up "
                    + "and that this client may create topics.", e));
        }
    }

    /**
     * What is wrong with the size limit of an existing {@code images.raw}, if anything: a topic created before (by
     * hand, by compose, by an older version) with less room than {@code --max-bytes} refuses the larger uploads.
     *
     * @return a sentence saying what to run or pass, or empty when the topic holds images of {@code maxImageBytes}
     * @throws ExecutionException when the broker does not say (no DescribeConfigs on the topic, say)
     */
    public static Optional<String> imageLimitProblem(Admin admin, String rawTopic, int maxImageBytes)
            throws InterruptedException, ExecutionException, TimeoutException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, rawTopic);
        Config config = admin.describeConfigs(Set.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
        ConfigEntry entry = config == null ? null : config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
        if (entry == null || entry.value() == null) {
            return Optional.empty();
        }
        long limit = Long.parseLong(entry.value().trim());
        int needed = maxRecordBytes(maxImageBytes);
        if (limit >= needed) {
            return Optional.empty();
        }
        return Optional.of("Topic " + rawTopic + " takes records of at most " + limit + " bytes (max.message.bytes), but --max-bytes "
                + maxImageBytes + " needs " + needed + ": uploads between those sizes are refused with 413. Raise the topic's limit "
                + "(kafka-configs.sh --alter --entity-type topics --entity-name " + rawTopic + " --add-config max.message.bytes=" + needed
                + "), or lower --max-bytes.");
    }
}
