package dev.ganpipe.trainer.bench;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The machine a bench ran on, as the report prints it.
 *
 * @param cores processors the JVM sees
 * @param cpuModel the CPU model from {@code /proc/cpuinfo} (or the architecture where there is none)
 * @param memory total memory from {@code /proc/meminfo}, or "unknown"
 * @param os operating system and kernel
 * @param jdk Java runtime version and vendor
 * @param djl DJL version
 * @param libtorch version of the PyTorch native library DJL loaded
 */
record MachineInfo(int cores, String cpuModel, String memory, String os, String jdk, String djl, String libtorch) {

    /** DJL's name of the PyTorch engine. */
    static final String ENGINE = "PyTorch";

    /** Describes this machine; loads DJL's PyTorch engine to learn its native version. */
    static MachineInfo describe() {
        Engine engine = Engine.getEngine(ENGINE);
        return new MachineInfo(Runtime.getRuntime().availableProcessors(),
                procField("/proc/cpuinfo", "model name").orElse(System.getProperty("os.arch")),
                procField("/proc/meminfo", "MemTotal").orElse("unknown"),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                Runtime.version() + " (" + System.getProperty("java.vm.name") + ", " + System.getProperty("java.vendor") + ")",
                Engine.getDjlVersion(), engine.getVersion());
    }

    /** The 1, 5 and 15 minute load averages, to show how busy the machine was; "unknown" without /proc. */
    static String loadAverage() {
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
