package dev.ganpipe.common.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The machine a benchmark runs on, read from {@code /proc} where there is one: every bench prints it beside its
 * figures, since numbers from a busy or different machine do not compare.
 */
public final class Host {

    private Host() {
    }

    /** Cores, CPU model, memory, OS and JVM in one line. */
    public static String describe() {
        return Runtime.getRuntime().availableProcessors() + " cores, " + cpuModel() + ", " + memory() + " RAM, "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", Java " + Runtime.version()
                + " (" + System.getProperty("java.vm.name") + ")";
    }

    /** The CPU model name, or the architecture without {@code /proc/cpuinfo}. */
    public static String cpuModel() {
        return procField("/proc/cpuinfo", "model name").orElse(System.getProperty("os.arch"));
    }

    /** Total memory as {@code /proc/meminfo} says it, or "unknown". */
    public static String memory() {
        return procField("/proc/meminfo", "MemTotal").orElse("unknown");
    }

    /** The 1, 5 and 15 minute load averages (as {@code uptime} prints them), or "unknown" without {@code /proc}. */
    public static String loadAverage() {
        Path file = Path.of("/proc/loadavg");
        if (!Files.isReadable(file)) {
            return "unknown";
        }
        try {
            String[] parts = Files.readString(file).trim().split("\\s+");
            return parts.length >= 3 ? parts[0] + " " + parts[1] + " " + parts[2] : "unknown";
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + " although it is readable; check the /proc mount.", e);
        }
    }

    private static Optional<String> procField(String file, String field) {
        Path path = Path.of(file);
        if (!Files.isReadable(path)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(path);
            return lines.stream().filter(l -> l.startsWith(field)).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim().replaceAll("\\s+", " "));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path + " although it is readable; check the /proc mount.", e);
        }
    }
}
