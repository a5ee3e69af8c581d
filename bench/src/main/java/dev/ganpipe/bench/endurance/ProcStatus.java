package dev.ganpipe.bench.endurance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Memory figures of a process from Linux's {@code /proc/<pid>/status} ({@code VmRSS}, {@code RssAnon}, in KiB). */
final class ProcStatus {

    /** Resident set size: every page of the process in RAM. */
    static final String VM_RSS = "VmRSS";
    /** Resident anonymous memory: the heap, thread stacks and native allocations (what a leak grows). */
    static final String RSS_ANON = "RssAnon";

    private ProcStatus() {
    }

    /** Whether this machine has {@code /proc/self/status} (Linux). */
    static boolean available() {
        return Files.isReadable(Path.of("/proc/self/status"));
    }

    /** The text of this process's status file. */
    static String self() {
        Path file = Path.of("/proc/self/status");
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + "; resident memory is measured on Linux only, run the bench there.", e);
        }
    }

    /**
     * The value of a {@code kB} field such as {@code VmRSS:	  123456 kB}, in KiB.
     *
     * @return empty when the status text has no such field
     * @throws IllegalArgumentException when the field is there but is not a number of kB
     */
    static OptionalLong kib(String status, String field) {
        for (String line : status.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0 || !line.substring(0, colon).equals(field)) {
                continue;
            }
            String[] parts = line.substring(colon + 1).trim().split("\\s+");
            if (parts.length != 2 || !parts[1].equals("kB") || !parts[0].matches("\\d+")) {
                throw new IllegalArgumentException("The " + field + " line of /proc/.../status reads '" + line.trim()
                        + "', not '<number> kB'; this kernel's format is not supported.");
            }
            return OptionalLong.of(Long.parseLong(parts[0]));
        }
        return OptionalLong.empty();
    }
}
