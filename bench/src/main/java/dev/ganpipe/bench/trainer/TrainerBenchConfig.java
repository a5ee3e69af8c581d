package dev.ganpipe.bench.trainer;

import dev.ganpipe.common.config.ConfigException;
import dev.ganpipe.common.config.ConfigSpec;
import dev.ganpipe.common.config.ConfigValues;
import dev.ganpipe.common.config.KafkaOptions;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.trainer.gan.GanConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Every knob of {@code ./gan bench trainer}, validated; {@link #spec()} lists them for {@code --help}.
 *
 * @param measure how long each measurement runs after its warm-up (whole steps: the last one may overrun)
 * @param threads intra-op threads of both sides (resolved: never 0)
 * @param batch images per step on both sides
 * @param warmupSteps untimed steps before each measurement, the same on both sides
 * @param rounds times every row is measured, in reverse order on every other round; rows report the totals
 * @param dcgan64Width base width of dcgan64 on both sides (dcgan28 always uses 64)
 * @param data Fashion-MNIST IDX images file, or a folder holding one; generated images when absent
 * @param kafka the broker of the Kafka-fed run, when the user names one; empty: the bench starts its own
 * @param topicPrefix the Kafka-fed run produces to a new topic named this plus a unique suffix, deleted afterwards
 * @param python the Python interpreter to try first for the PyTorch reference
 * @param skipPytorch leave the PyTorch rows out
 * @param skipKafka leave the Kafka-fed row out
 * @param profile after the table, measure where the trainer's time goes
 */
record TrainerBenchConfig(
        Duration measure,
        int threads,
        int batch,
        int warmupSteps,
        int rounds,
        int dcgan64Width,
        Path data,
        Optional<KafkaSettings> kafka,
        String topicPrefix,
        String python,
        boolean skipPytorch,
        boolean skipKafka,
        boolean profile) {

    static final int DCGAN28_WIDTH = 64;

    TrainerBenchConfig {
        Objects.requireNonNull(measure, "measure");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(python, "python");
        if (measure.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new ConfigException("--seconds must be at least 1, but was " + measure.toSeconds() + ".");
        }
        if (threads < 1 || threads > 1024) {
            throw new ConfigException("--threads must be between 0 (one per core) and 1024, but was " + threads + ".");
        }
        if (batch < 2 || batch > 4096) {
            throw new ConfigException("--batch must be between 2 and 4096 (BatchNorm needs two images), but was " + batch + ".");
        }
        if (warmupSteps < 0 || warmupSteps > 1000) {
            throw new ConfigException("--warmup-steps must be between 0 and 1000, but was " + warmupSteps + ".");
        }
        if (rounds < 1 || rounds > 10) {
            throw new ConfigException("--rounds must be between 1 and 10, but was " + rounds + ".");
        }
        if (dcgan64Width < 1 || dcgan64Width > 1024) {
            throw new ConfigException("--dcgan64-width must be 'auto' or between 1 and 1024 (64 is the classic DCGAN), but was "
                    + dcgan64Width + ".");
        }
        if (topicPrefix == null || !topicPrefix.matches("[A-Za-z0-9._-]{1,200}")) {
            throw new ConfigException("--topic-prefix must be 1 to 200 letters, digits, '.', '_' or '-', but was '" + topicPrefix + "'.");
        }
    }

    /** The bench's options, in the order {@code --help} prints them. */
    static ConfigSpec spec() {
        return new ConfigSpec("gan bench trainer",
                "Images per second of the trainer's DCGAN step next to a PyTorch eager reference of the same architecture, "
                        + "batch and threads (dcgan28, dcgan64), and Kafka-fed next to in-memory, in one run. "
                        + "The Kafka-fed run starts its own Kafka broker in this process unless --bootstrap-servers names one.")
                .add("seconds", "20", "Seconds each measurement runs after its warm-up.")
                .add("threads", "0", "Intra-op threads of both sides; 0 means one per core.")
                .add("batch", "64", "Images per training step on both sides.")
                .add("warmup-steps", "5", "Untimed steps before each measurement, the same on both sides.")
                .add("rounds", "1", "Measure every row this many times, in reverse order on every other round (A B B A), so "
                        + "a machine that gets busier or quieter during the run favours neither side; rows report the totals.")
                .add("dcgan64-width", "auto", "Base width of dcgan64 on both sides; 64 is the classic DCGAN, 'auto' takes 64 on "
                        + GanConfig.CLASSIC_WIDTH_MIN_CORES + " or more cores and 32 below (a classic step takes seconds on 2 cores).")
                .add("data", "../shared/datasets/fashion-mnist", "Fashion-MNIST IDX images file (gzipped or not), or a folder "
                        + "holding one, for dcgan28 and the Kafka-fed run; generated images are used when it is missing.")
                .optional("bootstrap-servers", "Kafka bootstrap servers of the Kafka-fed run (e.g. localhost:9092 for './gan broker'). "
                        + "Without it the bench starts a single-node KRaft broker in this process, in a temporary folder, and stops it "
                        + "at the end.")
                .optional("kafka-config", "A Kafka client .properties file (security.protocol, sasl.*, ssl.* ...) for the broker "
                        + "--bootstrap-servers names.")
                .add("topic-prefix", "bench.trainer.images", "The Kafka-fed run produces to a new topic named this plus a "
                        + "unique suffix, and deletes it afterwards.")
                .add("python", "python3", "Python interpreter of the PyTorch reference; /usr/bin/python3 (where Debian's "
                        + "python3-torch installs) is tried next when this one has no torch.")
                .flag("skip-pytorch", "Leave out the PyTorch reference rows.")
                .flag("skip-kafka", "Leave out the Kafka-fed row.")
                .flag("profile", "After the table, show where a step's time goes on both sides (PyTorch's profiler on "
                        + "each, the cost of one op through each framework) and time the upsampling kernels.");
    }

    /** The broker the user names, with its client settings; empty when the bench is to start its own. */
    private static Optional<KafkaSettings> kafka(ConfigValues v, Map<String, String> env) {
        if (v.optional("bootstrap-servers").isEmpty()) {
            if (v.optional("kafka-config").isPresent()) {
                throw new ConfigException("--kafka-config sets the clients of the broker --bootstrap-servers names, but no broker was "
                        + "named; add --bootstrap-servers, or drop --kafka-config to let the bench start its own broker.");
            }
            return Optional.empty();
        }
        return Optional.of(KafkaOptions.kafka(v, env));
    }

    /**
     * Reads and validates the values; {@code cores} resolves {@code --threads 0} and {@code --dcgan64-width auto},
     * {@code env} supplies Kafka client properties ({@code GAN_KAFKA_CLIENT_*}).
     */
    static TrainerBenchConfig from(ConfigValues v, int cores, Map<String, String> env) {
        int threads = v.integer("threads");
        if (threads < 0) {
            throw new ConfigException("--threads must be between 0 (one per core) and 1024, but was " + threads + ".");
        }
        String width = v.string("dcgan64-width").trim().toLowerCase(Locale.ROOT);
        int dcgan64Width;
        if (width.equals("auto")) {
            dcgan64Width = GanConfig.autoWidth(64, cores);
        } else {
            dcgan64Width = v.integer("dcgan64-width");
        }
        return new TrainerBenchConfig(Duration.ofSeconds(v.longValue("seconds")), threads == 0 ? cores : threads, v.integer("batch"),
                v.integer("warmup-steps"), v.integer("rounds"), dcgan64Width, v.path("data"), kafka(v, env), v.string("topic-prefix"),
                v.string("python"), v.bool("skip-pytorch"), v.bool("skip-kafka"), v.bool("profile"));
    }
}
