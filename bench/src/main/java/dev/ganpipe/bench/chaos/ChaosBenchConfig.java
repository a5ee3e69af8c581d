package dev.ganpipe.bench.chaos;

import dev.ganpipe.common.config.ConfigException;
import dev.ganpipe.common.config.ConfigSpec;
import dev.ganpipe.common.config.ConfigValues;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The knobs of {@code gan bench chaos}.
 *
 * @param images images each ingest scenario publishes
 * @param rate images per second they are published at, so that the faults land in the middle
 * @param uploads single-image HTTP uploads of the below-min-ISR scenario
 * @param scenarios which scenarios run, by number
 * @param workDir where the cluster keeps its data (a temporary folder, deleted afterwards, when empty)
 */
record ChaosBenchConfig(int images, double rate, int uploads, List<Integer> scenarios, Optional<Path> workDir) {

    static final List<Integer> KNOWN = List.of(1, 2, 3, 4, 5);

    ChaosBenchConfig {
        if (images < 1000 || uploads < 10) {
            throw new ConfigException("--images must be at least 1000 and --uploads at least 10, so that a fault lands mid-way; got "
                    + images + " and " + uploads + ".");
        }
        if (!(rate > 0)) {
            throw new ConfigException("--rate must be a positive number of images per second, but was " + rate + ".");
        }
        for (int s : scenarios) {
            if (!KNOWN.contains(s)) {
                throw new ConfigException("Scenario " + s + " does not exist; choose among " + KNOWN + ".");
            }
        }
    }

    static ConfigSpec spec() {
        return new ConfigSpec("gan bench chaos",
                "Runs the pipeline on a cluster of three Kafka broker processes (topics with three replicas, min.insync.replicas=2) "
                        + "and kills brokers while it works: 1 the leader of images.raw and images.train partitions (SIGKILL) during "
                        + "an ingest, 2 the active controller during the same, 3 a rolling restart of all three while the trainer trains "
                        + "and the generator serves 8 HTTP clients, 4 two brokers at once (below min ISR) during HTTP "
                        + "uploads, 5 a broker whose log directory (a small tmpfs; needs root) fills up while it leads partitions. Prints 'chaos <scenario> lost <n> duplicated <n> failed_requests <n>' per scenario.")
                .add("images", "20000", "Images each ingest scenario publishes.")
                .add("rate", "800", "Images per second they are published at (the faults land in the middle).")
                .add("uploads", "300", "Single-image HTTP uploads of scenario 4, before, during and after the outage.")
                .add("scenarios", "1,2,3,4,5", "Scenarios to run, comma-separated (5 is skipped, saying so, without root).")
                .optional("work-dir", "Folder for the cluster's data (default: a temporary folder, deleted afterwards).");
    }

    static ChaosBenchConfig from(ConfigValues v) {
        List<Integer> scenarios;
        try {
            scenarios = Arrays.stream(v.string("scenarios").split(",")).map(String::trim).map(Integer::parseInt).toList();
        } catch (NumberFormatException e) {
            throw new ConfigException("--scenarios takes numbers separated by commas, e.g. 1,2,4, not '" + v.string("scenarios") + "'.");
        }
        return new ChaosBenchConfig(v.integer("images"), v.decimal("rate"), v.integer("uploads"), scenarios,
                v.optional("work-dir").map(Path::of));
    }
}
