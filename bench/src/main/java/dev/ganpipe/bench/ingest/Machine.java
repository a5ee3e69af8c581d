package dev.ganpipe.bench.ingest;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The machine a benchmark ran on, printed with its figures.
 *
 * @param cores processors available to the JVM
 * @param cpuModel the CPU's model name (from {@code /proc/cpuinfo} on Linux)
 * @param jvm JVM vendor and version
 * @param os operating system and architecture
 * @param loadAverage the one-minute load average when measured (other work on the machine skews the figures)
 */
record Machine(int cores, String cpuModel, String jvm, String os, double loadAverage) {

    /** This machine. */
    static Machine current() {
        return new Machine(Runtime.getRuntime().availableProcessors(), readCpuModel().orElse("unknown CPU"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** One line for the table's header. */
    String describe() {
        return String.format(Locale.ROOT, "%d cores, %s, %s, %s; load average %.1f", cores, cpuModel, jvm, os, loadAverage);
    }

    private static Optional<String> readCpuModel() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo)) {
            return Optional.empty();
        }
        try {
            return Files.readAllLines(cpuinfo).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst();
        } catch (IOException e) {
            // The model only labels the figures; a machine that hides it still gets measured.
            return Optional.of("unknown CPU (" + e.getMessage() + ")");
        }
    }
}
