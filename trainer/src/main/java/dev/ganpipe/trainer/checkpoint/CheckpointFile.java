package dev.ganpipe.trainer.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ganpipe.common.image.ModelPixels;
import dev.ganpipe.trainer.data.ReplayBuffer;
import dev.ganpipe.common.model.NoiseRandom;
import dev.ganpipe.trainer.gan.TrainingState;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.apache.kafka.common.TopicPartition;

/**
 * The checkpoint file format, version {@value #FORMAT_VERSION}. All numbers are big-endian:
 *
 * <pre>
 *   8 bytes   magic "GANCKPT\n"
 *   int32     format version (2; version 1 files are read too)
 *   int32     header length H, then H bytes of UTF-8 JSON: step, createdAt, architecture, modelVersion,
 *             imagesSeen, positions [{topic, partition, offset}], noise state, Adam and EMA update counts, and
 *             (version 2) replay: null, or {capacity, offered, random, count, imageValues, encoding, pass}, where
 *             pass {seed, size, position} (absent in older files) is where the buffer's shuffled pass stands
 *   int32     tensor count T, then T times:
 *               modified-UTF-8 name (int16 length + bytes, as DataOutput.writeUTF),
 *               uint8 rank R, R x int64 dimensions, product(dimensions) x float32
 *   replay    (version 2, when the header's replay is not null) count x int32 labels, then the images one after
 *             another, count x imageValues values: uint8 when encoding is "uint8" (the canonical 8-bit pixel b
 *             of the model value b / 127.5 - 1), float32 when it is "float32"
 *   int64     CRC-32C of every byte before it
 * </pre>
 *
 * <p>Version 1 is version 2 without the replay buffer; such a checkpoint resumes with an empty buffer.
 *
 * <p>The replay buffer is written as bytes whenever every value is exactly a canonical pixel, which is always the
 * case for images decoded from the stream: 784 bytes per 28x28 gray image instead of 3,136, and read back to the
 * identical floats. Anything else is kept exactly as float32.
 *
 * <p>A reader checks the magic, the version, every length against the file size (a damaged length cannot make it
 * allocate more than the file holds) and the checksum, so a truncated or damaged file is reported, never loaded.
 */
public final class CheckpointFile {

    /** The format version this trainer writes and reads. */
    public static final int FORMAT_VERSION = 2;
    /** The first format version, without the replay buffer; still read. */
    public static final int FORMAT_VERSION_WITHOUT_REPLAY = 1;
    /** Replay images stored as canonical 8-bit pixels. */
    static final String REPLAY_UINT8 = "uint8";
    /** Replay images stored as float32, by trainers before the replay buffer held bytes; read, never written. */
    static final String REPLAY_FLOAT32 = "float32";

    private static final byte[] MAGIC = "GANCKPT\n".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_HEADER_BYTES = 16 << 20;
    private static final int MAX_TENSORS = 100_000;
    private static final int MAX_RANK = 8;
    private static final int CHUNK_FLOATS = 16 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private CheckpointFile() {
    }

    /** The JSON header. */
    record Header(long step, String createdAt, Architecture architecture, long modelVersion, long imagesSeen,
            List<Position> positions, Noise noise, long generatorUpdates, long discriminatorUpdates, long emaUpdates,
            Replay replay) {
    }

    /** What the replay section holds; null in version 1 files. */
    record Replay(int capacity, long offered, Noise random, int count, int imageValues, String encoding, ReplayBuffer.Pass pass) {
    }

    /** One partition's position. */
    record Position(String topic, int partition, long offset) {
    }

    /** The noise generator's state; the pending Gaussian as raw bits so it survives JSON exactly. */
    record Noise(long seed, boolean haveNextNextGaussian, long nextNextGaussianBits) {
    }

    /**
     * Writes {@code checkpoint} to {@code out} (the caller buffers and closes it).
     *
     * @throws IOException when {@code out} fails (disk full, read-only file system ...)
     */
    public static void write(Checkpoint checkpoint, OutputStream out) throws IOException {
        write(checkpoint, out, FORMAT_VERSION);
    }

    /**
     * Writes {@code checkpoint} in format {@code version}: {@link #FORMAT_VERSION}, or {@link
     * #FORMAT_VERSION_WITHOUT_REPLAY} (which leaves out the replay buffer), to test that old files still load.
     */
    static void write(Checkpoint checkpoint, OutputStream out, int version) throws IOException {
        if (version != FORMAT_VERSION && version != FORMAT_VERSION_WITHOUT_REPLAY) {
            throw new IllegalArgumentException("Checkpoints can be written in format version " + FORMAT_VERSION
                    + " or " + FORMAT_VERSION_WITHOUT_REPLAY + ", not " + version + ".");
        }
        Optional<ReplayBuffer.Snapshot> replay = version == FORMAT_VERSION ? checkpoint.replay() : Optional.empty();
        String encoding = replay.map(r -> REPLAY_UINT8).orElse(null); // the buffer holds bytes; float32 is read only
        CheckedOutputStream checked = new CheckedOutputStream(out, new CRC32C());
        DataOutputStream data = new DataOutputStream(checked); // unbuffered: every byte is in the checksum on return
        data.write(MAGIC);
        data.writeInt(version);
        byte[] header = version == FORMAT_VERSION
                ? JSON.writeValueAsBytes(headerOf(checkpoint, replay.map(r -> replayOf(r, encoding)).orElse(null)))
                : JSON.writeValueAsBytes(headerV1Of(headerOf(checkpoint, null)));
        data.writeInt(header.length);
        data.write(header);
        Map<String, TrainingState.Tensor> tensors = checkpoint.state().tensors();
        data.writeInt(tensors.size());
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_FLOATS * Float.BYTES);
        for (Map.Entry<String, TrainingState.Tensor> e : tensors.entrySet()) {
            TrainingState.Tensor t = e.getValue();
            data.writeUTF(e.getKey());
            data.writeByte(t.shape().length);
            for (long d : t.shape()) {
                data.writeLong(d);
            }
            float[] values = t.values();
            for (int off = 0; off < values.length; off += CHUNK_FLOATS) {
                int n = Math.min(CHUNK_FLOATS, values.length - off);
                chunk.clear();
                chunk.asFloatBuffer().put(values, off, n);
                data.write(chunk.array(), 0, n * Float.BYTES);
            }
        }
        if (replay.isPresent()) {
            writeReplay(replay.get(), data);
        }
        data.flush();
        new DataOutputStream(out).writeLong(checked.getChecksum().getValue());
    }

    /**
     * Reads and verifies a checkpoint file.
     *
     * @throws CheckpointException when the file is not a checkpoint, has another format version, is truncated or
     *     damaged; the message names the file and the problem (the caller adds what to do)
     */
    public static Checkpoint read(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new CheckpointException("Checkpoint " + file + " cannot be read: " + e.getMessage(), e);
        }
        String stage = "magic number";
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            CheckedInputStream checked = new CheckedInputStream(raw, new CRC32C());
            DataInputStream in = new DataInputStream(checked);
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new CheckpointException("File " + file + " is not a trainer checkpoint: it does not start with the "
                        + "checkpoint magic number.");
            }
            stage = "format version";
            int version = in.readInt();
            if (version != FORMAT_VERSION && version != FORMAT_VERSION_WITHOUT_REPLAY) {
                throw new CheckpointException("Checkpoint " + file + " has format version " + version + ", but this trainer "
                        + "reads format versions " + FORMAT_VERSION_WITHOUT_REPLAY + " and " + FORMAT_VERSION + " only.");
            }
            stage = "header";
            int headerLength = in.readInt();
            requireRange(file, "header length", headerLength, 2, Math.min(MAX_HEADER_BYTES, size));
            Header header = parseHeader(file, in.readNBytes(headerLength), headerLength);
            stage = "tensor count";
            int count = in.readInt();
            requireRange(file, "tensor count", count, 0, MAX_TENSORS);
            Map<String, TrainingState.Tensor> tensors = new LinkedHashMap<>();
            byte[] chunk = new byte[CHUNK_FLOATS * Float.BYTES];
            for (int i = 0; i < count; i++) {
                stage = "tensor " + (i + 1) + " of " + count;
                String name = in.readUTF();
                stage = "tensor " + name;
                int rank = in.readUnsignedByte();
                requireRange(file, "rank of tensor " + name, rank, 0, MAX_RANK);
                long[] shape = new long[rank];
                long elements = 1;
                for (int d = 0; d < rank; d++) {
                    shape[d] = in.readLong();
                    requireRange(file, "a dimension of tensor " + name, shape[d], 0, size / Float.BYTES);
                    elements *= shape[d];
                    requireRange(file, "the size of tensor " + name, elements, 0, size / Float.BYTES);
                }
                float[] values = new float[(int) elements];
                for (int off = 0; off < values.length; off += CHUNK_FLOATS) {
                    int n = Math.min(CHUNK_FLOATS, values.length - off);
                    in.readFully(chunk, 0, n * Float.BYTES);
                    ByteBuffer.wrap(chunk, 0, n * Float.BYTES).asFloatBuffer().get(values, off, n);
                }
                if (tensors.put(name, new TrainingState.Tensor(shape, values)) != null) {
                    throw new CheckpointException("Checkpoint " + file + " is damaged: it holds tensor " + name + " twice.");
                }
            }
            Optional<ReplayBuffer.Snapshot> replay = Optional.empty();
            if (version == FORMAT_VERSION && header.replay() != null) {
                stage = "replay buffer";
                replay = Optional.of(readReplay(file, header.replay(), in, size));
            }
            stage = "checksum";
            long computed = checked.getChecksum().getValue();
            long stored = new DataInputStream(raw).readLong(); // the checksum is not part of what it sums
            if (stored != computed) {
                throw new CheckpointException("Checkpoint " + file + " is damaged: its CRC-32C checksum does not match "
                        + "its contents.");
            }
            if (raw.read() != -1) {
                throw new CheckpointException("Checkpoint " + file + " is damaged: it has bytes after its checksum.");
            }
            return checkpointOf(file, header, tensors, replay);
        } catch (EOFException e) {
            throw new CheckpointException("Checkpoint " + file + " is truncated: it ends after " + size
                    + " bytes, in its " + stage + ".", e);
        } catch (IOException e) {
            throw new CheckpointException("Checkpoint " + file + " cannot be read (" + stage + "): " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException("Checkpoint " + file + " is damaged: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new CheckpointException("Checkpoint " + file + " cannot be read (" + stage + "): " + e.getMessage(), e);
        }
    }

    private static Header parseHeader(Path file, byte[] bytes, int expected) throws EOFException {
        if (bytes.length < expected) {
            throw new EOFException("header cut short");
        }
        try {
            Header h = JSON.readValue(bytes, Header.class);
            if (h.architecture() == null || h.noise() == null || h.positions() == null || h.createdAt() == null) {
                throw new CheckpointException("Checkpoint " + file + " is damaged: its header lacks the architecture, "
                        + "noise state, positions or creation time.");
            }
            return h;
        } catch (JsonProcessingException e) {
            throw new CheckpointException("Checkpoint " + file + " is damaged: its header is not valid JSON ("
                    + e.getOriginalMessage() + ").", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requireRange(Path file, String what, long value, long min, long max) {
        if (value < min || value > max) {
            throw new CheckpointException("Checkpoint " + file + " is damaged: " + what + " is " + value
                    + ", outside " + min + ".." + max + ".");
        }
    }

    private static Replay replayOf(ReplayBuffer.Snapshot r, String encoding) {
        NoiseRandom.State n = r.random();
        return new Replay(r.capacity(), r.offered(), noiseOf(n), r.size(), r.imageValues(), encoding, r.pass());
    }

    private static void writeReplay(ReplayBuffer.Snapshot replay, DataOutputStream data) throws IOException {
        ByteBuffer labels = ByteBuffer.allocate(replay.size() * Integer.BYTES);
        labels.asIntBuffer().put(replay.labels());
        data.write(labels.array());
        for (byte[] values : replay.images()) {
            data.write(values);
        }
    }

    private static ReplayBuffer.Snapshot readReplay(Path file, Replay r, DataInputStream in, long size) throws IOException {
        if (r.random() == null || r.encoding() == null) {
            throw new CheckpointException("Checkpoint " + file + " is damaged: its replay header lacks the random state "
                    + "or the encoding.");
        }
        boolean bytes = switch (r.encoding()) {
            case REPLAY_UINT8 -> true;
            case REPLAY_FLOAT32 -> false;
            default -> throw new CheckpointException("Checkpoint " + file + " is damaged: its replay images have the "
                    + "unknown encoding '" + r.encoding() + "'.");
        };
        requireRange(file, "the replay buffer's capacity", r.capacity(), 1, Integer.MAX_VALUE);
        requireRange(file, "the replay buffer's image count", r.count(), 0, Math.min(r.capacity(), size / Integer.BYTES));
        requireRange(file, "the replay buffer's image size", r.imageValues(), r.count() == 0 ? 0 : 1, size);
        requireRange(file, "the replay buffer's size in bytes", (long) r.count() * r.imageValues() * (bytes ? 1 : Float.BYTES), 0, size);
        requireRange(file, "the replay buffer's offered count", r.offered(), r.count(), Long.MAX_VALUE);
        byte[] labelBytes = new byte[r.count() * Integer.BYTES];
        in.readFully(labelBytes);
        int[] labels = new int[r.count()];
        ByteBuffer.wrap(labelBytes).asIntBuffer().get(labels);
        byte[] raw = new byte[r.imageValues() * (bytes ? 1 : Float.BYTES)];
        List<byte[]> images = new ArrayList<>(r.count());
        for (int i = 0; i < r.count(); i++) {
            in.readFully(raw);
            if (bytes) {
                images.add(raw.clone());
            } else {
                // Older trainers kept the model values of canonical bytes (ModelPixels.toModelValue); toLevel recovers them exactly.
                float[] values = new float[r.imageValues()];
                ByteBuffer.wrap(raw).asFloatBuffer().get(values);
                byte[] image = new byte[values.length];
                for (int v = 0; v < values.length; v++) {
                    image[v] = (byte) ModelPixels.toLevel(values[v]);
                }
                images.add(image);
            }
        }
        // files written before shuffled passes have none: the restored buffer begins a new pass
        return new ReplayBuffer.Snapshot(r.capacity(), r.offered(), noiseStateOf(r.random()), images, labels,
                r.pass() == null ? ReplayBuffer.Pass.NONE : r.pass());
    }

    private static Noise noiseOf(NoiseRandom.State n) {
        return new Noise(n.seed(), n.haveNextNextGaussian(), Double.doubleToRawLongBits(n.nextNextGaussian()));
    }

    private static NoiseRandom.State noiseStateOf(Noise n) {
        return new NoiseRandom.State(n.seed(), n.haveNextNextGaussian(), Double.longBitsToDouble(n.nextNextGaussianBits()));
    }

    /** The version 1 header: the version 2 one without the replay field. */
    private record HeaderV1(long step, String createdAt, Architecture architecture, long modelVersion, long imagesSeen,
            List<Position> positions, Noise noise, long generatorUpdates, long discriminatorUpdates, long emaUpdates) {
    }

    private static HeaderV1 headerV1Of(Header h) {
        return new HeaderV1(h.step(), h.createdAt(), h.architecture(), h.modelVersion(), h.imagesSeen(), h.positions(),
                h.noise(), h.generatorUpdates(), h.discriminatorUpdates(), h.emaUpdates());
    }

    private static Header headerOf(Checkpoint c, Replay replay) {
        TrainingState s = c.state();
        List<Position> positions = c.positions().entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<TopicPartition, Long> e) -> e.getKey().topic())
                        .thenComparingInt(e -> e.getKey().partition()))
                .map(e -> new Position(e.getKey().topic(), e.getKey().partition(), e.getValue()))
                .toList();
        return new Header(s.step(), c.createdAt().toString(), c.architecture(), c.modelVersion(), c.imagesSeen(),
                positions, noiseOf(s.noise()), s.generatorUpdates(), s.discriminatorUpdates(), s.emaUpdates(), replay);
    }

    private static Checkpoint checkpointOf(Path file, Header h, Map<String, TrainingState.Tensor> tensors,
            Optional<ReplayBuffer.Snapshot> replay) {
        Map<TopicPartition, Long> positions = new HashMap<>();
        for (Position p : h.positions()) {
            positions.put(new TopicPartition(p.topic(), p.partition()), p.offset());
        }
        Instant createdAt;
        try {
            createdAt = Instant.parse(h.createdAt());
        } catch (DateTimeParseException e) {
            throw new CheckpointException("Checkpoint " + file + " is damaged: its creation time '" + h.createdAt()
                    + "' is not an ISO-8601 instant.", e);
        }
        TrainingState state = new TrainingState(h.step(), noiseStateOf(h.noise()), h.generatorUpdates(),
                h.discriminatorUpdates(), h.emaUpdates(), tensors);
        return new Checkpoint(h.architecture(), state, h.modelVersion(), h.imagesSeen(), positions, createdAt, replay);
    }
}
