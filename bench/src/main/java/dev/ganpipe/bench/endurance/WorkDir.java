package dev.ganpipe.bench.endurance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** A part's work directory, emptied before the part runs so that no broker data or model of an earlier run counts. */
final class WorkDir {

    private WorkDir() {
    }

    static void clear(Path dir) throws IOException {
        if (Files.exists(dir)) {
            List<Path> paths;
            try (Stream<Path> walk = Files.walk(dir)) {
                paths = walk.sorted(Comparator.reverseOrder()).toList();
            }
            for (Path p : paths) {
                Files.delete(p);
            }
        }
        Files.createDirectories(dir);
    }
}
