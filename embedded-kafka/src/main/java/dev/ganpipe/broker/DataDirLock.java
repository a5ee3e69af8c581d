package dev.ganpipe.broker;

import dev.ganpipe.common.Closeables;
import dev.ganpipe.common.config.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * An exclusive lock on a broker's data directory, taken before anything in it is read or written and held until the
 * broker has stopped. Kafka locks its log directory only late in start-up, after the controller has already
 * appended to the metadata log: a second broker started on the same directory corrupted the first one's metadata
 * log (measured: the first broker then hit a fatal {@code CorruptRecordException}, kept one core busy and could no
 * longer create topics, nor stop on SIGTERM). With this lock the second broker is refused with a sentence instead.
 */
final class DataDirLock implements AutoCloseable {

    /** The lock file, in the data directory; it names the holder's process id. */
    static final String FILE_NAME = "embedded-kafka.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock on {@code dataDir} (creating the directory if needed).
     *
     * @throws ConfigException when another broker, in this process or another, holds it: the operator chose a data
     *     directory in use, and the launcher reports that as a sentence, not a stack trace
     */
    static DataDirLock acquire(Path dataDir) {
        Path file = dataDir.toAbsolutePath().resolve(FILE_NAME);
        FileChannel channel;
        try {
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the broker's lock file " + file + "; check permissions and disk space.", e);
        }
        try {
            FileLock lock = tryLock(channel);
            if (lock == null) {
                throw new ConfigException("The Kafka data directory " + dataDir.toAbsolutePath() + " is in use by another "
                        + "embedded broker (" + holder(file) + "); stop that broker first, or give this one another data "
                        + "directory (--data-dir).");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + ", since " + Instant.now())
                    .getBytes(StandardCharsets.UTF_8)), 0);
            return new DataDirLock(channel, lock);
        } catch (IOException | RuntimeException e) {
            Closeables.closeAfter(channel, e);
            if (e instanceof IOException io) {
                throw new UncheckedIOException("Cannot lock the broker's data directory through " + file + " ("
                        + io.getMessage() + "); check that the file system supports file locks.", io);
            }
            throw (RuntimeException) e;
        }
    }

    /** The lock, or null when another holder has it; a holder in this JVM shows as an overlapping lock. */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    /** What the holder wrote into the lock file, for the refusal's message. */
    private static String holder(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "holder unknown" : text;
        } catch (IOException e) {
            return "holder unknown: " + e.getMessage();
        }
    }

    /** Releases the lock; the file stays (deleting it could race with the next broker taking it). Idempotent. */
    @Override
    public synchronized void close() {
        if (!channel.isOpen()) {
            return;
        }
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot release the broker's data directory lock; it is freed when this process "
                    + "exits.", e);
        }
    }
}
