package dev.ganpipe.trainer.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ganpipe.trainer.gan.NoiseRandom;
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
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.apache.kafka.common.TopicPartition;

/**
 * The checkpoint file format, version {@value #FORMAT_VERSION}. All numbers are big-endian:
 *
 * <pre>
 *   8 bytes   magic "GANCKPT\n"
 *   int32     format version (1)
 *   int32     header length H, then H bytes of UTF-8 JSON: step, createdAt, architecture, modelVersion,
 *             imagesSeen, positions [{topic, partition, offset}], noise state, Adam and EMA update counts
 *   int32     tensor count T, then T times:
 *               modified-UTF-8 name (int16 length + bytes, as DataOutput.writeUTF),
 *               uint8 rank R, R x int64 dimensions, product(dimensions) x float32
 *   int64     CRC-32C of every byte before it
 * </pre>
 *
 * <p>A reader checks the magic, the version, every length against the file size (a damaged length cannot make it
 * allocate more than the file holds) and the checksum, so a truncated or damaged file is reported, never loaded.
 */
public final class CheckpointFile {

    /** The format version this trainer writes and reads. */
    public static final int FORMAT_VERSION = 1;

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
            List<Position> positions, Noise noise, long generatorUpdates, long discriminatorUpdates, long emaUpdates) {
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
        CheckedOutputStream checked = new CheckedOutputStream(out, new CRC32C());
        DataOutputStream data = new DataOutputStream(checked); // unbuffered: every byte is in the checksum on return
        data.write(MAGIC);
        data.writeInt(FORMAT_VERSION);
        byte[] header = JSON.writeValueAsBytes(headerOf(checkpoint));
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
            if (version != FORMAT_VERSION) {
                throw new CheckpointException("Checkpoint " + file + " has format version " + version + ", but this trainer "
                        + "reads format version " + FORMAT_VERSION + " only.");
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
            return checkpointOf(file, header, tensors);
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

    private static Header headerOf(Checkpoint c) {
        TrainingState s = c.state();
        List<Position> positions = c.positions().entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<TopicPartition, Long> e) -> e.getKey().topic())
                        .thenComparingInt(e -> e.getKey().partition()))
                .map(e -> new Position(e.getKey().topic(), e.getKey().partition(), e.getValue()))
                .toList();
        NoiseRandom.State n = s.noise();
        return new Header(s.step(), c.createdAt().toString(), c.architecture(), c.modelVersion(), c.imagesSeen(),
                positions, new Noise(n.seed(), n.haveNextNextGaussian(), Double.doubleToRawLongBits(n.nextNextGaussian())),
                s.generatorUpdates(), s.discriminatorUpdates(), s.emaUpdates());
    }

    private static Checkpoint checkpointOf(Path file, Header h, Map<String, TrainingState.Tensor> tensors) {
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
        NoiseRandom.State noise = new NoiseRandom.State(h.noise().seed(), h.noise().haveNextNextGaussian(),
                Double.longBitsToDouble(h.noise().nextNextGaussianBits()));
        TrainingState state = new TrainingState(h.step(), noise, h.generatorUpdates(), h.discriminatorUpdates(),
                h.emaUpdates(), tensors);
        return new Checkpoint(h.architecture(), state, h.modelVersion(), h.imagesSeen(), positions, createdAt);
    }
}
