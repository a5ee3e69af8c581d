package dev.ganpipe.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.ganpipe.broker.TestBroker;
import dev.ganpipe.common.image.CanonicalImage;
import dev.ganpipe.common.image.Hashes;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.image.Png;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.metrics.MeterRegistries;
import dev.ganpipe.common.model.ModelDirectory;
import dev.ganpipe.common.model.ModelManifest;
import dev.ganpipe.common.model.Noise;
import dev.ganpipe.images.normalize.ClassList;
import dev.ganpipe.images.source.SampleData;
import dev.ganpipe.quality.Progress;
import dev.ganpipe.quality.classifier.ClassifierOptions;
import dev.ganpipe.quality.classifier.ClassifierTrainer;
import dev.ganpipe.quality.classifier.DomainClassifier;
import dev.ganpipe.quality.data.LoaderOptions;
import dev.ganpipe.quality.data.RealData;
import dev.ganpipe.quality.data.RealDataLoader;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Continual learning on a real broker: the trainer is fed only Fashion-MNIST classes 0-4, restarted, then fed only
 * classes 5-9. With the replay buffer (default ratio 0.5, carried across the restart in the checkpoint) the final
 * generator still draws the first half; the same stream with replay off draws much less of it. A classifier
 * trained on the bundled 500-image sample judges the generated images. Uses only the bundled sample.
 *
 * <p>Both runs use {@code --idle-policy pause}, so the number of steps follows the stream exactly (no replay-only
 * steps while the test produces the next phase), and the same steps per phase: the control arm, whose batches are
 * all fresh, is streamed twice as many records per phase.
 */
class ContinualLearningTest {

    private static final ImageShape SHAPE = ImageShape.FASHION_MNIST;
    private static final int BATCH = 32;
    /** Training steps per phase (both runs). */
    private static final int STEPS_PER_PHASE = 150;
    private static final int SAMPLES = 1_000;
    private static final int WIDTH = 32;

    @TempDir
    static Path dir;
    @RegisterExtension
    static final TestBroker kafka = new TestBroker();
    static RealData sample;
    static DomainClassifier classifier;
    static double classifierAccuracy;
    static double halfAccuracy;

    @BeforeAll
    static void trainTheJudge() throws IOException {
        LoaderOptions options = LoaderOptions.forShape(SHAPE);
        sample = RealDataLoader.read(SampleData.FASHION_MNIST, options);
        RealDataLoader.Split split = RealDataLoader.load(SampleData.FASHION_MNIST, Optional.empty(), options, Progress.silent());
        // Trained before any GAN: DJL allows one gradient collector per JVM at a time.
        classifier = ClassifierTrainer.train(split.train(), split.heldOut(), ClassifierOptions.defaults().withEpochs(10),
                Progress.silent());
        classifierAccuracy = classifier.info().heldOutAccuracy();
        RealData heldOut = split.heldOut();
        int[] all = new int[heldOut.count()];
        Arrays.setAll(all, i -> i);
        int[] predicted = classifier.extract(heldOut, all).predicted();
        int sameHalf = 0;
        for (int i = 0; i < all.length; i++) {
            sameHalf += (fashionIndex(heldOut.classNames().get(heldOut.label(i))) < 5)
                    == (fashionIndex(classifier.classNames().get(predicted[i])) < 5) ? 1 : 0;
        }
        halfAccuracy = sameHalf / (double) all.length;
        System.out.printf(Locale.ROOT, "continual: classifier held-out accuracy %.3f, right half (0-4 or 5-9) %.3f, on %d "
                + "images%n", classifierAccuracy, halfAccuracy, heldOut.count());
    }

    @AfterAll
    static void closeTheJudge() {
        if (classifier != null) {
            classifier.close();
        }
    }

    @Test
    void theReplayBufferKeepsTheClassesThatStoppedArrivingWhichTrainingWithoutReplayForgets() throws Exception {
        assertThat(classifierAccuracy).as("held-out accuracy of the judge").isGreaterThan(0.6);
        assertThat(halfAccuracy).as("how often the judge puts a held-out image in the right half").isGreaterThanOrEqualTo(0.8);

        Arm replay = run("replay", 0.5);
        Arm noReplay = run("no-replay", 0.0);

        System.out.printf(Locale.ROOT, "continual: first-half share with replay %.3f %s, without %.3f %s%n",
                replay.firstHalfShare(), replay.histogram(), noReplay.firstHalfShare(), noReplay.histogram());
        assertThat(replay.replayAfterRestart()).as("replay buffer restored from the checkpoint at the restart")
                .isEqualTo(replay.imagesAfterPhase1());
        // Measured on the two-core development machine: with replay 0.411, 0.418 and 0.411 (all ten classes drawn;
        // 0.5 would be perfect memory), without 0.083 and 0.085 (trousers and dresses all but gone). The judge puts
        // 85% of held-out real images in the right half.
        assertThat(replay.firstHalfShare()).as("share of generated images the judge puts in classes 0-4, with replay")
                .isGreaterThan(0.25);
        assertThat(noReplay.firstHalfShare()).as("the same without replay").isLessThan(0.2)
                .isLessThan(replay.firstHalfShare() - 0.15);
    }

    /** What one run measured. */
    private record Arm(long imagesAfterPhase1, int replayAfterRestart, double firstHalfShare, List<Integer> histogram) {
    }

    /** Streams classes 0-4, restarts the trainer, streams classes 5-9, and judges the final exported generator. */
    private Arm run(String name, double replayRatio) throws Exception {
        TopicCatalog topics = TestTopics.created(kafka, name);
        Path work = dir.resolve(name);
        Path models = work.resolve("models");
        TrainerConfig config = TrainerConfig.of("--bootstrap-servers", kafka.bootstrapServers(), "--port", "0",
                "--topic-images-train", topics.imagesTrain(), "--topic-models", topics.modelsGenerator(),
                "--group-id", name, "--model-name", name, "--conditional", "false",
                "--batch-size", Integer.toString(BATCH), "--replay-ratio", Double.toString(replayRatio),
                "--idle-policy", "pause", "--generator-width", Integer.toString(WIDTH),
                "--discriminator-width", Integer.toString(WIDTH),
                "--export-every-steps", "100000", "--export-every", "10h", "--sample-every-steps", "100000",
                "--checkpoint-every-steps", "100000", "--checkpoint-every", "10h",
                "--models-dir", models.toString(), "--samples-dir", work.resolve("samples").toString(),
                "--checkpoint-dir", work.resolve("checkpoints").toString());
        int freshPerStep = BATCH - (int) Math.round(BATCH * replayRatio);
        int records = STEPS_PER_PHASE * freshPerStep;
        long started = System.nanoTime();

        long afterPhase1 = stream(topics, 0, records, 11);
        long steps1;
        try (TrainerService trainer = TrainerService.start(config, MeterRegistries.prometheus("trainer"))) {
            awaitImagesSeen(trainer, afterPhase1);
            steps1 = trainer.status().step();
        }
        int replayAfterRestart;
        long afterPhase2;
        long steps2;
        // A restart between the phases: what the trainer remembers of classes 0-4 comes from its checkpoint.
        try (TrainerService trainer = TrainerService.start(config, MeterRegistries.prometheus("trainer"))) {
            replayAfterRestart = trainer.status().replayBufferImages();
            afterPhase2 = afterPhase1 + stream(topics, 5, records, 12);
            awaitImagesSeen(trainer, afterPhase2);
            steps2 = trainer.status().step() - steps1;
        }
        ModelManifest manifest = new ModelDirectory(models).latest(name).orElseThrow();
        int[] predicted = judge(new ModelDirectory(models).read(manifest));
        List<Integer> histogram = new ArrayList<>(Collections.nCopies(10, 0));
        int firstHalf = 0;
        for (int p : predicted) {
            int label = fashionIndex(classifier.classNames().get(p));
            histogram.set(label, histogram.get(label) + 1);
            firstHalf += label < 5 ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "continual: %s: %d + %d steps, %d + %d images, %.0f s; model step %d; replay %d "
                        + "after restart; classes of %d generated images %s%n", name, steps1, steps2, afterPhase1,
                afterPhase2 - afterPhase1, (System.nanoTime() - started) / 1e9, manifest.step(), replayAfterRestart,
                SAMPLES, histogram);
        return new Arm(afterPhase1, replayAfterRestart, firstHalf / (double) predicted.length, histogram);
    }

    /**
     * Sends {@code count} records of the sample's classes {@code first .. first + 4}, the class's images in a new
     * random order each pass, without labels (an unconditional GAN).
     *
     * @return how many were sent
     */
    private static long stream(TopicCatalog topics, int first, int count, long seed) {
        List<Integer> half = new ArrayList<>();
        for (int i = 0; i < sample.count(); i++) {
            int label = fashionIndex(sample.classNames().get(sample.label(i)));
            if (label >= first && label < first + 5) {
                half.add(i);
            }
        }
        Random random = new Random(seed);
        KafkaSettings settings = KafkaSettings.of(kafka.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings.producer("test"),
                topics.train().keySerde().serializer(), topics.train().valueSerde().serializer())) {
            int sent = 0;
            while (sent < count) {
                Collections.shuffle(half, random);
                for (int i = 0; i < half.size() && sent < count; i++, sent++) {
                    CanonicalImage image = sample.image(half.get(i));
                    producer.send(new ProducerRecord<>(topics.imagesTrain(), Hashes.imageId(image), Png.encode(image)));
                }
            }
            producer.flush();
            return sent;
        }
    }

    /** The Fashion-MNIST index (0 T-shirt/top ... 9 Ankle boot) of a class name as the sample names it. */
    private static int fashionIndex(String name) {
        int index = ClassList.fashionMnist().names().indexOf(name);
        assertThat(index).as("Fashion-MNIST index of class %s", name).isNotNegative();
        return index;
    }

    private static void awaitImagesSeen(TrainerService trainer, long images) {
        await("trainer trained on " + images + " stream images").atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    assertThat(trainer.status().state()).isNotEqualTo("failed");
                    return trainer.status().imagesSeen() >= images;
                });
    }

    /** The classes the judge gives {@value #SAMPLES} images of the exported generator. */
    private static int[] judge(byte[] onnx) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[] noise = Noise.gaussian(2026, SAMPLES, 100);
        try (OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions());
                OnnxTensor z = OnnxTensor.createTensor(env, FloatBuffer.wrap(noise), new long[] {SAMPLES, 100});
                OrtSession.Result result = session.run(Map.of("z", z))) {
            float[] images = ((OnnxTensor) result.get("image").orElseThrow()).getFloatBuffer().array();
            return classifier.extract(images, SAMPLES).predicted();
        }
    }
}
