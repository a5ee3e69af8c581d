package dev.ganpipe.trainer.checkpoint;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoint directory: {@code checkpoint-<step>.ckpt} files written atomically (temp file, fsync, rename, fsync
 * of the directory), the newest {@code keep} kept, and the rules for choosing the one to resume from.
 *
 * <p>A checkpoint that cannot be read or belongs to another architecture is never overwritten or deleted. With
 * {@link OnMismatch#FAIL} (the default) start-up stops with a message naming the file and what is wrong; with
 * {@link OnMismatch#IGNORE} the file is moved, unchanged, to {@code rejected/} and older checkpoints are tried.
 */
public final class CheckpointStore {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
    private static final Pattern NAME = Pattern.compile("checkpoint-(\\d{1,18})\\.ckpt");
    private static final String TEMP_SUFFIX = ".tmp";
    /** Sub-directory that {@link OnMismatch#IGNORE} moves unusable checkpoints to. */
    public static final String REJECTED = "rejected";

    /** What start-up does with a checkpoint it cannot resume from. */
    public enum OnMismatch {
        /** Stop with a message; change nothing. */
        FAIL,
        /** Move it to {@code rejected/} and try older checkpoints, or start fresh. */
        IGNORE
    }

    private final Path directory;
    private final int keep;
    private final OnMismatch onMismatch;

    /**
     * @param directory where checkpoints live
     * @param keep how many of the newest checkpoints to keep, at least 1
     * @param onMismatch what to do with a checkpoint that cannot be resumed from
     */
    public CheckpointStore(Path directory, int keep, OnMismatch onMismatch) {
        if (keep < 1) {
            throw new IllegalArgumentException("At least one checkpoint must be kept, but keep was " + keep + ".");
        }
        this.directory = directory;
        this.keep = keep;
        this.onMismatch = onMismatch;
    }

    /** The directory. */
    public Path directory() {
        return directory;
    }

    /** The file a checkpoint of {@code step} is written to. */
    public Path fileFor(long step) {
        return directory.resolve(String.format(Locale.ROOT, "checkpoint-%012d.ckpt", step));
    }

    /**
     * Creates the directory, proves it is writable (a probe file is written, synced and deleted) and removes the
     * temp files of writes a crash interrupted.
     *
     * @throws CheckpointException when the directory cannot be created or written
     */
    public void prepare() {
        Path probe = directory.resolve(".write-probe" + TEMP_SUFFIX);
        try {
            Files.createDirectories(directory);
            try (FileChannel ch = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(new byte[] {1}));
                ch.force(true);
            }
            Files.delete(probe);
        } catch (IOException e) {
            throw new CheckpointException("Cannot write checkpoints to " + directory.toAbsolutePath() + " ("
                    + describe(e) + "); make the directory writable, free disk space, or choose another "
                    + "--checkpoint-dir.", e);
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".ckpt" + TEMP_SUFFIX)).toList()) {
                LOG.info("Deleting {}: an unfinished checkpoint write from an earlier run.", f);
                Files.delete(f);
            }
        } catch (IOException e) {
            throw new CheckpointException("Cannot clean unfinished checkpoint writes from " + directory.toAbsolutePath()
                    + " (" + describe(e) + "); check the directory's permissions.", e);
        }
    }

    /** Checkpoint files, newest (highest step) first; temp files and {@code rejected/} are not included. */
    public List<Path> list() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> Files.isRegularFile(f) && NAME.matcher(f.getFileName().toString()).matches())
                    .sorted(Comparator.comparingLong(CheckpointStore::stepOf).reversed())
                    .toList();
        } catch (IOException e) {
            throw new CheckpointException("Cannot list the checkpoint directory " + directory.toAbsolutePath() + " ("
                    + describe(e) + "); check its permissions.", e);
        }
    }

    /**
     * The architecture of the checkpoint resuming would start from (for settings that follow the checkpoint, such
     * as {@code --conditional auto}): the newest readable one; empty when there is none.
     *
     * @throws CheckpointException with {@link OnMismatch#FAIL}, when the newest checkpoint cannot be read (the same
     *     message as {@link #loadForResume}); nothing is changed on disk
     */
    public Optional<Architecture> newestArchitecture() {
        for (Path file : list()) {
            try {
                return Optional.of(CheckpointFile.read(file).architecture());
            } catch (CheckpointException e) {
                if (onMismatch == OnMismatch.FAIL) {
                    throw refusal(e.getMessage());
                }
                LOG.debug("{} Looking at older checkpoints (--checkpoint-on-mismatch ignore).", e.getMessage());
            }
        }
        return Optional.empty();
    }

    /**
     * The checkpoint to resume from: the newest one, which must be readable and of {@code configured}'s
     * architecture; with {@link OnMismatch#IGNORE}, the newest usable one. Empty when there is none.
     *
     * @throws CheckpointException with {@link OnMismatch#FAIL}, when the newest checkpoint cannot be resumed from;
     *     the message names the file, says what is wrong and what to do. Nothing is changed on disk.
     */
    public Optional<Checkpoint> loadForResume(Architecture configured) {
        for (Path file : list()) {
            String problem;
            try {
                Checkpoint c = CheckpointFile.read(file);
                List<String> differences = c.architecture().differencesFrom(configured);
                if (differences.isEmpty()) {
                    LOG.info("Resuming from {} (step {}, model version {}, {} images seen, {}).", file, c.step(),
                            c.modelVersion(), c.imagesSeen(), c.replay().map(r -> "replay buffer of " + r.size()
                                    + " images").orElse("no replay buffer: written by an older trainer"));
                    return Optional.of(c);
                }
                problem = "Checkpoint " + file + " was written for another architecture: "
                        + String.join("; ", differences) + ".";
            } catch (CheckpointException e) {
                problem = e.getMessage();
            }
            if (onMismatch == OnMismatch.FAIL) {
                throw refusal(problem);
            }
            Path aside = reject(file);
            LOG.warn("{} Moved it to {} and looking for an older checkpoint (--checkpoint-on-mismatch ignore).",
                    problem, aside);
        }
        return Optional.empty();
    }

    private CheckpointException refusal(String problem) {
        return new CheckpointException(problem + " Nothing was changed. Start the trainer with the settings the "
                + "checkpoint was written with to resume from it; move the file out of " + directory
                + " to resume from an older checkpoint; or pass --checkpoint-on-mismatch ignore to set it aside "
                + "(it is moved to " + directory.resolve(REJECTED) + ", not deleted).");
    }

    /**
     * Writes {@code checkpoint} atomically and durably, then deletes all but the newest {@code keep} checkpoints.
     *
     * @return the file written
     * @throws CheckpointException when it cannot be written (disk full, read-only directory ...); the previous
     *     checkpoints are left as they were and the message says so
     */
    public Path write(Checkpoint checkpoint) {
        Path target = fileFor(checkpoint.step());
        Path temp = target.resolveSibling(target.getFileName() + TEMP_SUFFIX);
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
                    OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 20)) {
                CheckpointFile.write(checkpoint, out);
                out.flush();
                ch.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory();
        } catch (IOException e) {
            deleteUnfinished(temp);
            List<Path> existing = list();
            String previous = existing.isEmpty() ? "There is no earlier checkpoint"
                    : "The previous checkpoint " + existing.getFirst() + " is intact";
            throw new CheckpointException("Cannot write the checkpoint of step " + checkpoint.step() + " to "
                    + directory.toAbsolutePath() + " (" + describe(e) + "). " + previous + " and consumer offsets stay "
                    + "at it; free disk space or make the directory writable, and the trainer writes the next "
                    + "checkpoint on schedule.", e);
        }
        prune();
        return target;
    }

    private void prune() {
        List<Path> all = list();
        for (Path old : all.subList(Math.min(keep, all.size()), all.size())) {
            try {
                Files.deleteIfExists(old);
            } catch (IOException e) {
                LOG.warn("Could not delete old checkpoint {} ({}); delete it by hand if space runs short.", old,
                        describe(e));
            }
        }
    }

    private Path reject(Path file) {
        Path dir = directory.resolve(REJECTED);
        Path aside = dir.resolve(file.getFileName());
        try {
            Files.createDirectories(dir);
            for (int n = 1; Files.exists(aside); n++) {
                aside = dir.resolve(file.getFileName() + "." + n);
            }
            Files.move(file, aside);
            return aside;
        } catch (IOException e) {
            throw new CheckpointException("Cannot move the unusable checkpoint " + file + " to " + dir + " ("
                    + describe(e) + "); move or delete it by hand, or point --checkpoint-dir elsewhere.", e);
        }
    }

    /** Makes the rename itself durable: without it a power loss can undo the rename on some file systems. */
    private void syncDirectory() throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            if (System.getProperty("os.name", "").startsWith("Windows")) {
                return; // Windows cannot open a directory as a channel; NTFS journals the rename instead.
            }
            throw e;
        }
    }

    private static void deleteUnfinished(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            LOG.warn("Could not delete the unfinished checkpoint {} ({}); the next start-up deletes it.", temp,
                    describe(e));
        }
    }

    private static long stepOf(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException(file + " is not a checkpoint file name.");
        }
        return Long.parseLong(m.group(1));
    }

    private static String describe(IOException e) {
        String type = e.getClass().getSimpleName();
        return e.getMessage() == null ? type : type + ": " + e.getMessage();
    }
}
