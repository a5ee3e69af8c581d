package dev.ganpipe.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ganpipe.broker.TestBroker;
import dev.ganpipe.common.image.CanonicalImage;
import dev.ganpipe.common.image.Hashes;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.image.Png;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.kafka.TopicSetup;
import dev.ganpipe.common.metrics.MeterRegistries;
import dev.ganpipe.common.model.ModelDirectory;
import dev.ganpipe.common.model.ModelHeaders;
import dev.ganpipe.common.model.ModelManifest;
import dev.ganpipe.trainer.checkpoint.Architecture;
import dev.ganpipe.trainer.checkpoint.Checkpoint;
import dev.ganpipe.trainer.checkpoint.CheckpointException;
import dev.ganpipe.trainer.checkpoint.CheckpointFile;
import dev.ganpipe.trainer.gan.TrainingState;
import dev.ganpipe.trainer.checkpoint.CheckpointStore;
import dev.ganpipe.trainer.checkpoint.ReadOnlyDirectory;
import dev.ganpipe.trainer.gan.GanConfig;
import dev.ganpipe.trainer.gan.GanTrainingCore;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer survives SIGKILL: a real {@code TrainerMain} process on a real broker is killed mid-run and restarted,
 * and continues from its checkpoint without skipping an image.
 */
class TrainerCrashSafetyTest {

    private static final ImageShape SHAPE = ImageShape.FASHION_MNIST;
    private static final int IMAGES = 400;

    @TempDir
    static Path dir;
    @RegisterExtension
    static final TestBroker kafka = new TestBroker();

    @Test
    void aKilledTrainerResumesFromItsCheckpointAndSkipsNoImage() throws Exception {
        TopicCatalog topics = topics("crash");
        Map<TopicPartition, List<String>> keysByOffset = produce(topics, IMAGES);
        Path work = Files.createDirectories(dir.resolve("crash"));
        Path checkpoints = work.resolve("checkpoints");
        Path samples = work.resolve("samples");
        Path models = work.resolve("models");
        List<String> args = List.of("--bootstrap-servers", kafka.bootstrapServers(), "--port", "0",
                "--topic-images-train", topics.imagesTrain(), "--topic-models", topics.modelsGenerator(),
                "--group-id", "crash-trainer", "--model-name", "crash-dcgan28",
                "--batch-size", "16", "--generator-width", "16", "--discriminator-width", "16", "--threads", "1",
                "--checkpoint-dir", checkpoints.toString(), "--checkpoint-every-steps", "10", "--checkpoint-every", "10m",
                "--export-every-steps", "10", "--export-every", "10m", "--sample-every-steps", "10",
                "--models-dir", models.toString(), "--samples-dir", samples.toString(),
                // Adaptive augmentation with a low target, so p has risen above 0 by the checkpoint: a resumed trainer must
                // go on with the strength it reached (StyleGAN2-ADA's resume starts it again from 0).
                "--augment", "ada", "--augment-target", "0.05");
        // A killed consumer holds its partitions until its session times out; the broker's minimum keeps the wait short.
        Map<String, String> env = Map.of("GAN_KAFKA_CLIENT_SESSION_TIMEOUT_MS", "6000");

        // Run 1: train past its third checkpoint, then SIGKILL: no shutdown hook, no final checkpoint.
        List<ChildTrainer.LoggedStep> run1;
        Map<Integer, Set<Long>> trained1;
        try (ChildTrainer first = ChildTrainer.start(work.resolve("run1.log"), args, env)) {
            await("run 1 checkpointed three times and trained past it").atMost(Duration.ofMinutes(4))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        JsonNode s = first.status();
                        return s != null && s.get("lastCheckpointStep").asLong() >= 30
                                && s.get("step").asLong() >= s.get("lastCheckpointStep").asLong() + 3;
                    });
            first.kill();
            run1 = first.steps();
            trained1 = first.trainedOffsets();
        }
        List<Path> left = checkpointFiles(checkpoints);
        Checkpoint checkpoint = CheckpointFile.read(left.getLast());
        long resumeStep = checkpoint.step();
        // A commit the trainer had sent just before the kill can still reach the broker after it: read the offsets
        // run 2 will start from once the killed consumer's session has expired, after which nothing of run 1 lands.
        awaitNoMembers("crash-trainer");
        Map<TopicPartition, Long> committedAtKill = committed("crash-trainer");
        assertThat(left).as("the newest two are kept").hasSizeLessThanOrEqualTo(2);
        assertThat(run1.getLast().step()).as("run 1 trained past its checkpoint").isGreaterThan(resumeStep);
        committedAtKill.forEach((tp, offset) -> assertThat(offset).as("committed %s", tp)
                .isLessThanOrEqualTo(checkpoint.positions().get(tp)));
        assertThat(trained1.values().stream().mapToLong(Set::size).sum())
                .as("run 1 trained on images after the last commit, which the crash loses")
                .isGreaterThan(committedAtKill.values().stream().mapToLong(Long::longValue).sum());
        byte[] gridAtCheckpoint = Files.readAllBytes(samples.resolve(String.format("step-%07d.png", resumeStep)));
        List<Long> versionsRun1 = new ModelDirectory(models).manifests().stream().map(ModelManifest::version).toList();

        // Run 2: the same command line resumes; it is stopped like an operator stops it (SIGTERM).
        List<ChildTrainer.LoggedStep> run2;
        JsonNode status;
        try (ChildTrainer second = ChildTrainer.start(work.resolve("run2.log"), args, env)) {
            await("run 2 trained every image").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200))
                    .until(() -> covered(trained1, second.trainedOffsets(), keysByOffset));
            // Its HTTP status can lag behind its log on a loaded machine (port not yet logged, or a slow answer).
            try {
                status = await("run 2's /v1/status").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                        .until(second::status, Objects::nonNull);
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("Run 2 trained every image but its /v1/status never answered; "
                        + second.statusDiagnosis(), e);
            }
            assertThat(second.terminate(Duration.ofMinutes(1))).as("SIGTERM stops the trainer").isTrue();
            run2 = second.steps();
            Map<Integer, Set<Long>> trained2 = second.trainedOffsets();
            // At-least-once: run 2 starts exactly at the committed offsets, so what run 1 trained after them is re-read.
            for (Map.Entry<TopicPartition, List<String>> e : keysByOffset.entrySet()) {
                long from = committedAtKill.getOrDefault(e.getKey(), 0L);
                if (from < e.getValue().size()) {
                    assertThat(trained2.get(e.getKey().partition()).stream().mapToLong(Long::longValue).min().orElseThrow())
                            .as("run 2's first offset on %s", e.getKey()).isEqualTo(from);
                }
            }
        }

        assertThat(status.get("resumedFromStep").asLong()).isEqualTo(resumeStep);
        assertThat(run2.getFirst().step()).as("the step count continues from the checkpoint").isEqualTo(resumeStep + 1);
        assertThat(Files.readAllBytes(samples.resolve(String.format("step-%07d.png", resumeStep))))
                .as("the restored generator draws exactly the grid it drew at the checkpoint")
                .isEqualTo(gridAtCheckpoint);
        assertLossesContinue(run1, run2, resumeStep);
        float[] strength = checkpoint.state().tensors().get(TrainingState.AUGMENT_STRENGTH).values();
        assertThat(strength[0]).as("the checkpoint's augmentation probability").isGreaterThan(0f);
        assertThat(run2.getFirst().augmentP()).as("run 2's first step augments with the checkpoint's p")
                .isCloseTo(strength[0], org.assertj.core.data.Offset.offset(1e-6));
        assertThat(run1.stream().filter(s -> s.step() == resumeStep + 1).findFirst().orElseThrow().augmentP())
                .as("as run 1 did at the same step").isCloseTo(strength[0], org.assertj.core.data.Offset.offset(1e-6));

        // Every image produced was trained on, by one run or the other.
        Set<String> trainedKeys = new HashSet<>();
        for (ChildTrainer.LoggedStep step : concat(run1, run2)) {
            step.offsets0().forEach(o -> trainedKeys.add(keysByOffset.get(new TopicPartition(topics.imagesTrain(), 0)).get(o.intValue())));
            step.offsets1().forEach(o -> trainedKeys.add(keysByOffset.get(new TopicPartition(topics.imagesTrain(), 1)).get(o.intValue())));
        }
        assertThat(trainedKeys).containsExactlyInAnyOrderElementsOf(keysByOffset.values().stream().flatMap(List::stream).toList());

        // Versions stay monotonic across the crash: run 2 numbers on after run 1's newest.
        List<ModelManifest> manifests = new ModelDirectory(models).manifests();
        List<Long> versionsRun2 = manifests.stream().map(ModelManifest::version).filter(v -> !versionsRun1.contains(v)).toList();
        assertThat(versionsRun2).isNotEmpty().allMatch(v -> v > versionsRun1.getLast());
        List<Long> published = TestTopics.publishedModels(kafka, topics).stream()
                .map(r -> ModelHeaders.read(r.key(), r.headers()).version()).toList();
        assertThat(published).isSorted().doesNotHaveDuplicates();

        // SIGTERM wrote a final checkpoint of the last step and committed everything it covers.
        Checkpoint last = CheckpointFile.read(checkpointFiles(checkpoints).getLast());
        assertThat(last.step()).isEqualTo(run2.getLast().step());
        Map<TopicPartition, Long> ends = new HashMap<>();
        keysByOffset.forEach((tp, keys) -> ends.put(tp, (long) keys.size()));
        assertThat(last.positions()).isEqualTo(ends);
        assertThat(committed("crash-trainer")).isEqualTo(ends);
    }

    @Test
    void refusesToResumeFromACheckpointOfAnotherArchitectureAndChangesNothing() throws Exception {
        Path checkpoints = Files.createDirectories(dir.resolve("mismatch/checkpoints"));
        GanConfig written = GanConfig.dcgan28().withWidths(16, 16);
        try (GanTrainingCore core = new GanTrainingCore(written)) {
            new CheckpointStore(checkpoints, 2, CheckpointStore.OnMismatch.FAIL).write(new Checkpoint(
                    Architecture.of(written), core.snapshot(), 3, 0, Map.of(), Instant.now()));
        }
        Map<String, String> before = contents(checkpoints);
        List<String> args = List.of("--bootstrap-servers", kafka.bootstrapServers(), "--port", "0",
                "--generator-width", "32", "--discriminator-width", "16", "--checkpoint-dir", checkpoints.toString(),
                "--models-dir", dir.resolve("mismatch/models").toString(), "--samples-dir", dir.resolve("mismatch/samples").toString());

        assertThatThrownBy(() -> TrainerService.start(TrainerConfig.of(args.toArray(String[]::new)), MeterRegistries.prometheus("trainer")))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("Checkpoint " + checkpoints.resolve("checkpoint-000000000000.ckpt")
                        + " was written for another architecture: generator width 16 in the checkpoint, 32 configured "
                        + "(--generator-width).")
                .hasMessageContaining("Nothing was changed");
        assertThat(TrainerMain.run(args)).as("exit code of the command line").isEqualTo(2);
        assertThat(contents(checkpoints)).isEqualTo(before);
        assertThat(dir.resolve("mismatch/models")).doesNotExist();

        // A truncated newest checkpoint stops start-up the same way, before anything reaches Kafka.
        Path truncated = Files.createDirectories(dir.resolve("mismatch/truncated"));
        Path file = Files.copy(checkpoints.resolve("checkpoint-000000000000.ckpt"), truncated.resolve("checkpoint-000000000009.ckpt"));
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length - 100));
        Map<String, String> truncatedBefore = contents(truncated);
        assertThat(TrainerMain.run(List.of("--bootstrap-servers", "localhost:1", "--checkpoint-dir", truncated.toString())))
                .isEqualTo(2);
        assertThat(contents(truncated)).isEqualTo(truncatedBefore);
    }

    @Test
    void aReadOnlyCheckpointDirectoryStopsCommitsAtTheLastCheckpointWhileTrainingGoesOn() throws Exception {
        TopicCatalog topics = topics("readonly");
        produce(topics, 600);
        Path checkpoints = Files.createDirectories(dir.resolve("readonly/checkpoints"));
        TrainerConfig config = TrainerConfig.of("--bootstrap-servers", kafka.bootstrapServers(), "--port", "0",
                "--topic-images-train", topics.imagesTrain(), "--topic-models", topics.modelsGenerator(),
                "--group-id", "readonly-trainer", "--batch-size", "16", "--generator-width", "8", "--discriminator-width", "8",
                "--checkpoint-dir", checkpoints.toString(), "--checkpoint-every-steps", "3", "--export-every-steps", "1000",
                "--models-dir", dir.resolve("readonly/models").toString(), "--samples-dir", dir.resolve("readonly/samples").toString());
        PrometheusMeterRegistry registry = MeterRegistries.prometheus("trainer");
        try (TrainerService trainer = TrainerService.start(config, registry)) {
            await().atMost(Duration.ofMinutes(1)).until(() -> trainer.status().lastCheckpointStep() >= 3);
            ReadOnlyDirectory readOnly = ReadOnlyDirectory.of(checkpoints);
            Path good;
            Checkpoint covered;
            try {
                good = checkpointFiles(checkpoints).getLast(); // no checkpoint can be added from here on
                covered = CheckpointFile.read(good);
                await("offsets committed after the checkpoint").atMost(Duration.ofSeconds(30))
                        .until(() -> committed("readonly-trainer").equals(covered.positions()));
                long stepAtLock = trainer.status().step();
                await("a checkpoint write failed").atMost(Duration.ofMinutes(1))
                        .until(() -> trainer.status().checkpointError() != null);
                await("training went on").atMost(Duration.ofMinutes(1))
                        .until(() -> trainer.status().step() > stepAtLock + 6);
                assertThat(trainer.status().checkpointError())
                        .contains("Cannot write the checkpoint of step", checkpoints.toAbsolutePath().toString())
                        .contains("The previous checkpoint " + checkpoints.resolve(good.getFileName()) + " is intact");
                assertThat(trainer.status().state()).isEqualTo("training");
                assertThat(committed("readonly-trainer")).as("offsets stay at the last checkpoint").isEqualTo(covered.positions());
                assertThat(registry.scrape()).containsPattern("gan_trainer_checkpoints_total\\{outcome=\"failed\",service=\"trainer\"} [1-9]");
            } finally {
                readOnly.close();
            }
            assertThat(CheckpointFile.read(good).step()).as("the previous checkpoint still loads").isEqualTo(covered.step());
            await("checkpoints resume once the directory is writable").atMost(Duration.ofMinutes(1))
                    .until(() -> trainer.status().checkpointError() == null
                            && trainer.status().lastCheckpointStep() > covered.step());
        }
    }

    private static Map<String, String> contents(Path directory) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.put(directory.relativize(f).toString(), HexFormat.of().formatHex(Files.readAllBytes(f)));
            }
        }
        return out;
    }

    /**
     * The resumed run's first steps continue the losses of the steps before the checkpoint rather than those of a
     * fresh start: the mean D loss of its first five steps is closer to the mean of the five steps up to the
     * checkpoint than to the mean of run 1's first five (the untrained networks', about 1.2 to 1.4 here).
     */
    private static void assertLossesContinue(List<ChildTrainer.LoggedStep> run1, List<ChildTrainer.LoggedStep> run2,
            long resumeStep) {
        double fresh = meanDLoss(run1.stream().filter(s -> s.step() <= 5).toList());
        double before = meanDLoss(run1.stream().filter(s -> s.step() > resumeStep - 5 && s.step() <= resumeStep).toList());
        double resumed = meanDLoss(run2.stream().filter(s -> s.step() <= resumeStep + 5).toList());
        System.out.printf("mean D loss: steps 1-5 %.3f, %d-%d %.3f, resumed %d-%d %.3f%n", fresh, resumeStep - 4,
                resumeStep, before, resumeStep + 1, resumeStep + 5, resumed);
        assertThat(Math.abs(resumed - before)).as("distance of the resumed D loss to the pre-checkpoint one")
                .isLessThan(Math.abs(resumed - fresh));
    }

    private static double meanDLoss(List<ChildTrainer.LoggedStep> steps) {
        assertThat(steps).hasSize(5);
        return steps.stream().mapToDouble(ChildTrainer.LoggedStep::dLoss).average().orElseThrow();
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static boolean covered(Map<Integer, Set<Long>> a, Map<Integer, Set<Long>> b, Map<TopicPartition, List<String>> produced) {
        for (Map.Entry<TopicPartition, List<String>> e : produced.entrySet()) {
            int p = e.getKey().partition();
            for (long o = 0; o < e.getValue().size(); o++) {
                if (!a.get(p).contains(o) && !b.get(p).contains(o)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static List<Path> checkpointFiles(Path directory) throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".ckpt")).sorted().toList();
        }
    }

    /** Waits until {@code group} has no member left, as after a killed consumer's session timed out. */
    private static void awaitNoMembers(String group) throws Exception {
        try (Admin admin = Admin.create(KafkaSettings.of(kafka.bootstrapServers()).admin("test"))) {
            await("the killed consumer's session expired and it left " + group).atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().isEmpty());
        }
    }

    private static Map<TopicPartition, Long> committed(String group) throws Exception {
        try (Admin admin = Admin.create(KafkaSettings.of(kafka.bootstrapServers()).admin("test"))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, Long> out = new HashMap<>();
            offsets.forEach((tp, om) -> out.put(tp, om.offset()));
            return out;
        }
    }

    static TopicCatalog topics(String prefix) throws Exception {
        TopicCatalog topics = TestTopics.prefixed(prefix);
        try (Admin admin = Admin.create(KafkaSettings.of(kafka.bootstrapServers()).admin("test"))) {
            TopicSetup.ensure(admin, topics, 2, (short) 1);
            await("leaders of " + topics.imagesTrain()).atMost(Duration.ofSeconds(30)).until(() -> admin
                    .describeTopics(List.of(topics.imagesTrain())).allTopicNames().get().get(topics.imagesTrain())
                    .partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
        }
        return topics;
    }

    /** Produces distinct images (the index is drawn into the bottom row); returns their keys by partition and offset. */
    static Map<TopicPartition, List<String>> produce(TopicCatalog topics, int count) throws Exception {
        Map<TopicPartition, List<String>> keys = new HashMap<>();
        Random random = new Random(11);
        KafkaSettings settings = KafkaSettings.of(kafka.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings.producer("test"),
                topics.train().keySerde().serializer(), topics.train().valueSerde().serializer())) {
            List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
            List<String> sentKeys = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                CanonicalImage image = image(random, i);
                String key = Hashes.imageId(image);
                sentKeys.add(key);
                sent.add(producer.send(new ProducerRecord<>(topics.imagesTrain(), i % 2, key, Png.encode(image))));
                if (i < 2) {
                    // The first record of each new partition alone: pipelined batches to a partition whose leader
                    // has just been elected can trip the idempotent producer's sequence check on a loaded machine.
                    sent.getLast().get();
                }
            }
            producer.flush();
            for (int i = 0; i < sent.size(); i++) {
                RecordMetadata m = sent.get(i).get();
                List<String> list = keys.computeIfAbsent(new TopicPartition(m.topic(), m.partition()), tp -> new ArrayList<>());
                assertThat(m.offset()).isEqualTo(list.size());
                list.add(sentKeys.get(i));
            }
        }
        assertThat(new HashSet<>(keys.values().stream().flatMap(List::stream).toList())).hasSize(count);
        return keys;
    }

    /** A bright square of random size and place, with the image's index in binary along the bottom row. */
    private static CanonicalImage image(Random random, int index) {
        byte[] px = Squares.pixels(random, 27);
        for (int bit = 0; bit < 16; bit++) {
            if ((index >> bit & 1) == 1) {
                px[27 * 28 + bit] = (byte) 255;
            }
        }
        return new CanonicalImage(SHAPE, px);
    }
}
