package dev.ganpipe.trainer.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Makes a directory read-only for a test and back. Permissions alone do not stop root, so when the probe write
 * still succeeds the directory is also made immutable with {@code chattr +i}; where neither works the test is
 * skipped (with the reason) rather than passing vacuously.
 */
public final class ReadOnlyDirectory implements AutoCloseable {

    private final Path dir;
    private boolean immutable;

    private ReadOnlyDirectory(Path dir) {
        this.dir = dir;
    }

    /** Makes {@code dir} read-only; close() makes it writable again. */
    public static ReadOnlyDirectory of(Path dir) throws IOException {
        ReadOnlyDirectory ro = new ReadOnlyDirectory(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        if (canWrite(dir)) {
            ro.immutable = run("chattr", "+i", dir.toString()) && !canWrite(dir);
            if (!ro.immutable) {
                ro.close();
                Assumptions.abort("Cannot make " + dir + " read-only here (running as root without chattr).");
            }
        }
        return ro;
    }

    @Override
    public void close() throws IOException {
        if (immutable) {
            run("chattr", "-i", dir.toString());
            immutable = false;
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static boolean canWrite(Path dir) {
        Path probe = dir.resolve(".probe-" + System.nanoTime());
        try {
            Files.write(probe, new byte[] {1});
            Files.delete(probe);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while running " + String.join(" ", command) + ".", e);
        }
    }
}
