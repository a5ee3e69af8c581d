package dev.ganpipe.bench.endurance;

import dev.ganpipe.bench.scratch.ScratchFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A part's work directory, emptied before the part runs so that no broker data or model of an earlier run counts. */
final class WorkDir {

    private WorkDir() {
    }

    static void clear(Path dir) throws IOException {
        ScratchFolder.deleteTree(dir);
        Files.createDirectories(dir);
    }
}
