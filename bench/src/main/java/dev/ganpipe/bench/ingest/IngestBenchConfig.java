package dev.ganpipe.bench.ingest;

import dev.ganpipe.common.config.ConfigException;
import dev.ganpipe.common.config.ConfigSpec;
import dev.ganpipe.common.config.ConfigValues;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The knobs of {@code gan bench ingest}.
 *
 * @param data the Fashion-MNIST folder (or IDX file) the CLI ingests
 * @param seconds how long each timed measurement may run
 * @param rounds timed runs of the producer tool and of the CLI, alternated so that other load on the machine
 *        weighs on both alike; the median run of each is reported
 * @param trainerDemand fresh images per second the trainer consumes
 * @param partitions partitions of the benchmark's topics
 * @param streamThreads Kafka Streams threads of the normaliser
 * @param workDir where the broker keeps its data (a temporary folder, deleted afterwards, when empty)
 */
record IngestBenchConfig(Path data, int seconds, int rounds, double trainerDemand, int partitions, int streamThreads, Optional<Path> workDir) {

    /** 64 images a batch x 3.5 steps/s on 2 cores x (1 - replay ratio 0.5): the fresh images one trainer takes. */
    static final double DEFAULT_TRAINER_DEMAND = 64 * 3.5 * (1 - 0.5);

    IngestBenchConfig {
        if (rounds < 1) {
            throw new ConfigException("--rounds must be at least 1, but was " + rounds + ".");
        }
        if (seconds < 1) {
            throw new ConfigException("--seconds must be at least 1, but was " + seconds + ".");
        }
        if (!(trainerDemand > 0)) {
            throw new ConfigException("--trainer-demand must be a positive number of images per second, but was " + trainerDemand + ".");
        }
        if (partitions < 1 || streamThreads < 1) {
            throw new ConfigException("--partitions and --stream-threads must be at least 1, but were " + partitions + " and "
                    + streamThreads + ".");
        }
    }

    static ConfigSpec spec() {
        return new ConfigSpec("gan bench ingest",
                "Measures, in one run on an embedded Kafka broker: Kafka's own ProducerPerformance at the size of a mean encoded "
                        + "Fashion-MNIST PNG, the gan ingest CLI publishing Fashion-MNIST, and the normaliser (images.raw -> "
                        + "images.train); prints them beside the trainer's demand, with the machine.")
                .add("data", "../shared/datasets/fashion-mnist", "Fashion-MNIST: a folder holding the IDX files, or the images "
                        + "file. When missing, the bundled 500-image sample is used (and the output says so).")
                .add("seconds", "10", "Length of each timed measurement, in seconds (runs are sized from a warm-up's rate).")
                .add("rounds", "3", "Timed runs of the producer tool and of the CLI, alternated; the median of each is reported.")
                .add("trainer-demand", Double.toString(DEFAULT_TRAINER_DEMAND), "Fresh images per second the trainer consumes: "
                        + "batch 64 x ~3.5 steps/s on 2 cores x (1 - replay ratio 0.5) = 112 by default.")
                .add("partitions", "3", "Partitions of the benchmark topics (the pipeline's default).")
                .add("stream-threads", "1", "Kafka Streams threads of the normaliser (the service's default).")
                .optional("work-dir", "Folder for the broker's data (default: a temporary folder, deleted afterwards).");
    }

    static ConfigValues values(List<String> args, Map<String, String> env) {
        return ConfigValues.parse(spec(), args, env);
    }

    static IngestBenchConfig from(ConfigValues v) {
        return new IngestBenchConfig(v.path("data"), v.integer("seconds"), v.integer("rounds"), v.decimal("trainer-demand"), v.integer("partitions"),
                v.integer("stream-threads"), v.optional("work-dir").map(Path::of));
    }
}
