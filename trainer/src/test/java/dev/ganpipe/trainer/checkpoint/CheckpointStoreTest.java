package dev.ganpipe.trainer.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ganpipe.common.model.NoiseRandom;
import dev.ganpipe.trainer.gan.TrainingState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint directory: atomic writes, pruning, and refusing what it cannot resume from without touching it. */
class CheckpointStoreTest {

    private static final Architecture ARCH = new Architecture(28, 1, 100, 16, 16, false, 0);

    @TempDir
    Path dir;

    @Test
    void writesAtomicallyKeepsTheNewestTwoAndResumesFromTheNewest() throws IOException {
        CheckpointStore store = new CheckpointStore(dir, 2, CheckpointStore.OnMismatch.FAIL);
        store.prepare();
        for (long step : new long[] {5, 10, 15}) {
            store.write(checkpoint(step, ARCH));
        }
        assertThat(names()).containsExactly("checkpoint-000000000010.ckpt", "checkpoint-000000000015.ckpt");
        Checkpoint newest = store.loadForResume(ARCH).orElseThrow();
        assertThat(newest.step()).isEqualTo(15);
        assertThat(newest.state().tensors()).isEqualTo(checkpoint(15, ARCH).state().tensors());
        assertThat(newest.state().noise()).isEqualTo(checkpoint(15, ARCH).state().noise());
        assertThat(newest.positions()).isEqualTo(Map.of(new TopicPartition("images.train", 0), 150L,
                new TopicPartition("images.train", 1), 151L));
    }

    @Test
    void anEmptyDirectoryMeansAFreshStartAndUnfinishedWritesAreCleanedUp() throws IOException {
        Files.write(dir.resolve("checkpoint-000000000020.ckpt.tmp"), new byte[] {1, 2, 3}); // a crash mid-write
        CheckpointStore store = new CheckpointStore(dir, 2, CheckpointStore.OnMismatch.FAIL);
        store.prepare();
        assertThat(store.loadForResume(ARCH)).isEmpty();
        assertThat(names()).isEmpty();
    }

    @Test
    void aTruncatedCheckpointFailsStartUpNamingTheFileAndChangesNothing() throws IOException {
        CheckpointStore store = new CheckpointStore(dir, 2, CheckpointStore.OnMismatch.FAIL);
        store.write(checkpoint(5, ARCH));
        Path newest = store.write(checkpoint(10, ARCH));
        byte[] whole = Files.readAllBytes(newest);
        Files.write(newest, Arrays.copyOf(whole, whole.length / 2));
        Map<String, String> before = contents();

        assertThatThrownBy(() -> store.loadForResume(ARCH))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("Checkpoint " + newest + " is truncated")
                .hasMessageContaining("Nothing was changed")
                .hasMessageContaining("--checkpoint-on-mismatch ignore");
        assertThat(contents()).isEqualTo(before);
    }

    @Test
    void anotherArchitectureFailsStartUpSayingWhatDiffers() throws IOException {
        CheckpointStore store = new CheckpointStore(dir, 2, CheckpointStore.OnMismatch.FAIL);
        Path file = store.write(checkpoint(5, ARCH));
        Map<String, String> before = contents();

        assertThatThrownBy(() -> store.loadForResume(new Architecture(28, 1, 100, 64, 16, false, 0)))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("Checkpoint " + file + " was written for another architecture: "
                        + "generator width 16 in the checkpoint, 64 configured (--generator-width).");
        assertThat(contents()).isEqualTo(before);
    }

    @Test
    void anotherFormatVersionAndADamagedFileAreReportedAsSuch() throws IOException {
        CheckpointStore store = new CheckpointStore(dir, 5, CheckpointStore.OnMismatch.FAIL);
        Path file = store.write(checkpoint(5, ARCH));
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).putInt(8, 3); // the format version follows the 8-byte magic
        Files.write(file, bytes);
        assertThatThrownBy(() -> CheckpointFile.read(file))
                .hasMessage("Checkpoint " + file + " has format version 3, but this trainer reads format versions 1 and 2 only.");

        Path damaged = store.write(checkpoint(6, ARCH));
        byte[] good = Files.readAllBytes(damaged);
        good[good.length - 25] ^= 0x40; // one bit of a running-mean value (the last 21 bytes: a scalar and the CRC)
        Files.write(damaged, good);
        assertThatThrownBy(() -> CheckpointFile.read(damaged))
                .hasMessage("Checkpoint " + damaged + " is damaged: its CRC-32C checksum does not match its contents.");

        Path notOne = dir.resolve("checkpoint-000000000007.ckpt");
        Files.writeString(notOne, "hello");
        assertThatThrownBy(() -> CheckpointFile.read(notOne)).hasMessageContaining("is not a trainer checkpoint");
    }

    @Test
    void ignoreSetsUnusableCheckpointsAsideUnchangedAndResumesFromAnOlderOne() throws IOException {
        CheckpointStore store = new CheckpointStore(dir, 3, CheckpointStore.OnMismatch.IGNORE);
        store.write(checkpoint(5, ARCH));
        store.write(checkpoint(10, new Architecture(28, 1, 100, 32, 32, false, 0)));
        Path truncated = store.write(checkpoint(15, ARCH));
        byte[] cut = Arrays.copyOf(Files.readAllBytes(truncated), 40);
        Files.write(truncated, cut);

        assertThat(store.loadForResume(ARCH).orElseThrow().step()).isEqualTo(5);
        assertThat(names()).containsExactly("checkpoint-000000000005.ckpt", "rejected");
        assertThat(Files.readAllBytes(dir.resolve("rejected/checkpoint-000000000015.ckpt"))).isEqualTo(cut);
        assertThat(CheckpointFile.read(dir.resolve("rejected/checkpoint-000000000010.ckpt")).step()).isEqualTo(10);
    }

    @Test
    void aReadOnlyDirectoryFailsTheWriteClearlyAndLeavesThePreviousCheckpointIntact() throws Exception {
        CheckpointStore store = new CheckpointStore(dir, 2, CheckpointStore.OnMismatch.FAIL);
        Path previous = store.write(checkpoint(5, ARCH));
        byte[] previousBytes = Files.readAllBytes(previous);
        ReadOnlyDirectory readOnly = ReadOnlyDirectory.of(dir);
        try {
            assertThatThrownBy(() -> store.write(checkpoint(10, ARCH)))
                    .isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("Cannot write the checkpoint of step 10 to " + dir.toAbsolutePath())
                    .hasMessageContaining("The previous checkpoint " + previous + " is intact and consumer offsets stay at it");
            assertThatThrownBy(store::prepare)
                    .isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("Cannot write checkpoints to " + dir.toAbsolutePath())
                    .hasMessageContaining("choose another --checkpoint-dir");
        } finally {
            readOnly.close();
        }
        assertThat(names()).containsExactly("checkpoint-000000000005.ckpt");
        assertThat(Files.readAllBytes(previous)).isEqualTo(previousBytes);
        assertThat(store.loadForResume(ARCH).orElseThrow().step()).isEqualTo(5);
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    /** Every file under the directory with its bytes (as hex, so maps compare by content). */
    private Map<String, String> contents() throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(f).toString(), HexFormat.of().formatHex(Files.readAllBytes(f)));
            }
        }
        return out;
    }

    private static Checkpoint checkpoint(long step, Architecture architecture) {
        Map<String, TrainingState.Tensor> tensors = new LinkedHashMap<>();
        float[] weights = new float[2 * 3 * 4 * 4];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) Math.sin(step * 31 + i);
        }
        tensors.put("generator/01Conv2d_weight", new TrainingState.Tensor(new long[] {2, 3, 4, 4}, weights));
        tensors.put("generator/02BatchNorm_runningMean", new TrainingState.Tensor(new long[] {3}, new float[] {step, -1f, 0.5f}));
        tensors.put("scalar", new TrainingState.Tensor(new long[] {}, new float[] {Float.MIN_VALUE}));
        NoiseRandom noise = new NoiseRandom(step);
        noise.nextGaussian();
        TrainingState state = new TrainingState(step, noise.state(), step, step, 0, tensors);
        return new Checkpoint(architecture, state, step / 5, step * 8,
                Map.of(new TopicPartition("images.train", 0), step * 10, new TopicPartition("images.train", 1), step * 10 + 1),
                Instant.parse("2025-06-01T00:00:00Z").plusSeconds(step));
    }
}
