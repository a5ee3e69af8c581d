package dev.ganpipe.trainer.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ganpipe.trainer.data.DecodedImage;
import dev.ganpipe.trainer.data.ReplayBuffer;
import dev.ganpipe.trainer.gan.GanConfig;
import dev.ganpipe.trainer.gan.GanTrainingCore;
import dev.ganpipe.common.model.NoiseRandom;
import dev.ganpipe.trainer.gan.TrainingState;
import dev.ganpipe.trainer.loop.CheckpointMetrics;
import dev.ganpipe.trainer.loop.Checkpointer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay buffer travels in the checkpoint: exactly, compactly, and old checkpoints without it still load. */
class CheckpointReplayTest {

    private static final Architecture ARCH = new Architecture(28, 1, 100, 16, 16, false, 0);
    private static final int VALUES = 28 * 28;

    @TempDir
    Path dir;

    @Test
    void streamImagesRoundTripExactlyAsOneBytePerPixel() throws IOException {
        ReplayBuffer.Snapshot saved = filledBuffer(2_000, 9, 2_500, new Random(4)).snapshot();

        Path without = write(dir.resolve("without"), checkpoint(Optional.empty()));
        Path with = write(dir.resolve("with"), checkpoint(Optional.of(saved)));
        Checkpoint loaded = CheckpointFile.read(with);

        assertThat(loaded.replay()).contains(saved);
        assertThat(loaded.state()).isEqualTo(CheckpointFile.read(without).state());
        // 2,000 images of 784 one-byte pixels and an int32 label each, plus the replay header's JSON.
        long replayBytes = Files.size(with) - Files.size(without);
        assertThat(replayBytes).isBetween(2_000L * (VALUES + 4), 2_000L * (VALUES + 4) + 300);
    }

    @Test
    void aReplayBufferSavedAsFloatsByAnEarlierTrainerLoadsAsTheSameBytes() throws IOException {
        ReplayBuffer.Snapshot saved = filledBuffer(100, 1, 100, new Random(5)).snapshot();
        byte[] uint8 = Files.readAllBytes(write(dir.resolve("uint8"), checkpoint(Optional.of(saved))));
        Path old = Files.createDirectories(dir.resolve("float32")).resolve("checkpoint-000000000012.ckpt");
        Files.write(old, asFloat32(uint8, saved.size() * VALUES));

        assertThat(CheckpointFile.read(old).replay()).contains(saved);
    }

    /** A buffer of {@code capacity} that was offered {@code offered} images drawn from {@code random}, labelled 0 to 9 in turn. */
    private static ReplayBuffer filledBuffer(int capacity, long seed, int offered, Random random) {
        ReplayBuffer buffer = new ReplayBuffer(capacity, seed);
        for (int i = 0; i < offered; i++) {
            buffer.offer(canonicalImage(random), i % 10);
        }
        return buffer;
    }

    /**
     * The file an earlier trainer wrote for the same content: the replay images as float32 {@code b / 127.5 - 1} (the
     * images are the last bytes before the CRC-32C), the header's encoding {@code float32}, the checksum recomputed.
     */
    private static byte[] asFloat32(byte[] uint8, int imageBytes) {
        ByteBuffer in = ByteBuffer.wrap(uint8);
        int headerLength = in.getInt(12);
        String header = new String(uint8, 16, headerLength, StandardCharsets.UTF_8);
        assertThat(header).contains("\"uint8\"");
        byte[] newHeader = header.replace("\"uint8\"", "\"float32\"").getBytes(StandardCharsets.UTF_8);
        int imagesAt = uint8.length - Long.BYTES - imageBytes;
        ByteBuffer out = ByteBuffer.allocate(uint8.length + newHeader.length - headerLength + 3 * imageBytes);
        out.put(uint8, 0, 12).putInt(newHeader.length).put(newHeader);
        out.put(uint8, 16 + headerLength, imagesAt - 16 - headerLength);
        for (int i = 0; i < imageBytes; i++) {
            out.putFloat((uint8[imagesAt + i] & 0xff) / 127.5f - 1f);
        }
        CRC32C crc = new CRC32C();
        crc.update(out.array(), 0, out.position());
        out.putLong(crc.getValue());
        return out.array();
    }

    @Test
    void anEmptyBufferRoundTripsToo() throws IOException {
        ReplayBuffer.Snapshot empty = new ReplayBuffer(10_000, 3).snapshot();
        assertThat(CheckpointFile.read(write(dir, checkpoint(Optional.of(empty)))).replay()).contains(empty);
    }

    @Test
    void aCheckpointOfFormatVersionOneWrittenByTheEarlierTrainerStillLoadsWithoutAReplayBuffer() throws IOException {
        // Written by the trainer before the replay buffer was checkpointed (format version 1), kept as a test resource.
        Path checkpoints = Files.createDirectories(dir.resolve("v1"));
        Path file = checkpoints.resolve("checkpoint-000000000007.ckpt");
        try (InputStream in = getClass().getResourceAsStream("/checkpoint/format-v1-step-7.ckpt")) {
            assertThat(in).as("the test resource format-v1-step-7.ckpt").isNotNull();
            Files.copy(in, file);
        }
        byte[] bytes = Files.readAllBytes(file);
        assertThat(ByteBuffer.wrap(bytes, 8, 4).getInt()).as("its format version").isEqualTo(1);

        Checkpoint loaded = new CheckpointStore(checkpoints, 2, CheckpointStore.OnMismatch.FAIL).loadForResume(ARCH).orElseThrow();

        assertThat(loaded.replay()).isEmpty();
        assertThat(loaded.step()).isEqualTo(7);
        assertThat(loaded.modelVersion()).isEqualTo(2);
        assertThat(loaded.imagesSeen()).isEqualTo(56);
        assertThat(loaded.positions()).containsExactly(Map.entry(new TopicPartition("images.train", 0), 70L));
        assertThat(loaded.state().emaUpdates()).isEqualTo(3);
        assertThat(loaded.state().tensors().get("generator/02BatchNorm_runningMean").values()).containsExactly(7f, -1f, 0.5f);
        NoiseRandom noise = new NoiseRandom(7);
        noise.nextGaussian();
        assertThat(loaded.state().noise()).isEqualTo(noise.state());

        // The same content written today in version 1 is byte for byte that file: the old format is unchanged.
        Path rewritten = dir.resolve("rewritten.ckpt");
        try (OutputStream out = Files.newOutputStream(rewritten)) {
            CheckpointFile.write(loaded, out, CheckpointFile.FORMAT_VERSION_WITHOUT_REPLAY);
        }
        assertThat(Files.readAllBytes(rewritten)).isEqualTo(Files.readAllBytes(file));
    }

    @Test
    void aResumedTrainerGetsTheBufferBackExactlyAndContinuesItsRandomStream() {
        GanConfig config = GanConfig.dcgan28().withWidths(16, 16).withSeed(5);
        CheckpointPolicy policy = new CheckpointPolicy(dir, 10, Duration.ofMinutes(2), 2, CheckpointStore.OnMismatch.FAIL);
        Random random = new Random(6);
        ReplayBuffer buffer = filledBuffer(300, config.seed(), 700, random);
        List<Map<TopicPartition, Long>> committed = new ArrayList<>();
        try (GanTrainingCore core = new GanTrainingCore(config)) {
            Checkpointer checkpointer = new Checkpointer(policy.store(), policy, Architecture.of(config), buffer,
                    committed::add, new CheckpointMetrics(new SimpleMeterRegistry()), Clock.systemUTC(), Optional.empty());
            checkpointer.covered(Map.of(new TopicPartition("images.train", 0), 700L));
            assertThat(checkpointer.write(core, 0, 700)).isTrue();
        }
        assertThat(committed).hasSize(1);

        Checkpoint resumed = policy.store().loadForResume(Architecture.of(config)).orElseThrow();
        ReplayBuffer restored = ReplayBuffer.restore(resumed.replay().orElseThrow(), 300);

        assertThat(restored.snapshot()).isEqualTo(buffer.snapshot());
        for (int i = 0; i < 200; i++) {
            byte[] next = canonicalImage(random);
            buffer.offer(next, 1);
            restored.offer(next, 1);
            assertThat(restored.sampleSlot()).isEqualTo(buffer.sampleSlot());
        }
        assertThat(restored.snapshot()).isEqualTo(buffer.snapshot());
    }

    private static Path write(Path directory, Checkpoint checkpoint) {
        CheckpointStore store = new CheckpointStore(directory, 2, CheckpointStore.OnMismatch.FAIL);
        store.prepare();
        return store.write(checkpoint);
    }

    private static Checkpoint checkpoint(Optional<ReplayBuffer.Snapshot> replay) {
        Map<String, TrainingState.Tensor> tensors = new LinkedHashMap<>();
        tensors.put("generator/01Conv2d_weight", new TrainingState.Tensor(new long[] {2, 2}, new float[] {1, -2, 3, -4}));
        TrainingState state = new TrainingState(12, new NoiseRandom(1).state(), 12, 12, 12, tensors);
        return new Checkpoint(ARCH, state, 1, 96, Map.of(new TopicPartition("images.train", 0), 96L),
                Instant.parse("2026-11-25T12:00:00Z"), replay);
    }

    /** A canonical 8-bit image, as the feed decodes one. */
    private static byte[] canonicalImage(Random random) {
        byte[] v = new byte[VALUES];
        random.nextBytes(v);
        return v;
    }
}
