package dev.ganpipe.bench.trainer;

import ai.djl.engine.Engine;
import dev.ganpipe.common.host.Host;

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
                Host.cpuModel(),
                Host.memory(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                Runtime.version() + " (" + System.getProperty("java.vm.name") + ", " + System.getProperty("java.vendor") + ")",
                Engine.getDjlVersion(), engine.getVersion());
    }
}
