package dev.ganpipe.bench.scratch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A new temporary folder for what one bench run makes (an embedded broker's data, a model it exports), deleted with
 * everything in it on {@link #close()}, so that a run leaves nothing behind and finds nothing of an earlier one.
 */
public final class ScratchFolder implements AutoCloseable {

    private final Path path;

    private ScratchFolder(Path path) {
        this.path = path;
    }

    /**
     * Creates a new folder under {@code java.io.tmpdir}.
     *
     * @param prefix the start of its name, e.g. {@code gan-bench-generator}
     * @throws UncheckedIOException when it cannot be created; the message says where
     */
    public static ScratchFolder create(String prefix) {
        try {
            return new ScratchFolder(Files.createTempDirectory(prefix));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary folder in " + System.getProperty("java.io.tmpdir")
                    + " for the bench (" + e.getMessage() + "); free space there or point -Djava.io.tmpdir (GAN_JAVA_OPTS) at a writable folder.", e);
        }
    }

    /** The folder. */
    public Path path() {
        return path;
    }

    /** A path inside the folder. */
    public Path resolve(String name) {
        return path.resolve(name);
    }

    /** Deletes the folder and everything in it. */
    @Override
    public void close() {
        deleteTree(path);
    }

    /**
     * Deletes {@code dir} and everything in it, if it exists: what {@link #close()} does, also for a folder a bench was
     * told to work in ({@code --work-dir}) and empties before a run.
     *
     * @throws UncheckedIOException when something in it cannot be deleted; the message says where
     */
    public static void deleteTree(Path dir) {
        try {
            if (!Files.exists(dir)) {
                return;
            }
            List<Path> paths;
            try (Stream<Path> walk = Files.walk(dir)) {
                paths = walk.sorted(Comparator.reverseOrder()).toList();
            }
            for (Path p : paths) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete the bench's folder " + dir + " (" + e.getMessage()
                    + "); delete it by hand.", e);
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
