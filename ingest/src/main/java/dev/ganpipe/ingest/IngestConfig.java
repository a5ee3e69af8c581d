package dev.ganpipe.ingest;

import dev.ganpipe.common.config.ConfigException;
import dev.ganpipe.common.config.ConfigSpec;
import dev.ganpipe.common.config.ConfigValues;
import dev.ganpipe.common.http.HttpServerConfig;
import dev.ganpipe.common.config.KafkaOptions;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.images.normalize.Background;
import dev.ganpipe.images.normalize.ClassList;
import dev.ganpipe.images.normalize.NormalizerSettings;
import dev.ganpipe.images.source.SampleData;
import dev.ganpipe.images.source.SourceOptions;
import dev.ganpipe.ingest.http.UploadPolicy;
import dev.ganpipe.ingest.publish.ProgressMode;
import dev.ganpipe.ingest.publish.PublishOptions;
import dev.ganpipe.ingest.stream.DedupSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Every knob of {@code gan ingest}, resolved from flags, {@code GAN_*} environment variables and defaults.
 *
 * @param kafka the Kafka connection (security pass-through included)
 * @param topics topic names
 * @param httpHost address the upload API binds
 * @param port port of the upload API (0 for a free one)
 * @param normalizer canonical shape, classes and input limits
 * @param applicationId the Kafka Streams application id (consumer group and transactional id prefix)
 * @param streamThreads Kafka Streams threads
 * @param stateDir the Streams state directory, when not the default under the temp dir
 * @param createTopics whether the service creates missing topics at start
 * @param topicPartitions partitions of topics it creates
 * @param topicReplication replication factor of topics it creates
 * @param maxUploads uploads in flight at once
 * @param sendTimeout how long an upload waits for the broker's acknowledgement
 * @param maxUploadParts parts one multipart upload may have
 * @param maxUploadBytes bytes one multipart upload may have in all
 * @param apiKey bearer key uploads must carry; empty means uploads are open
 * @param dedup the normaliser's optional duplicate filter
 * @param publish limit, rate, dry-run and progress display of {@code gan ingest PATH...}
 * @param serve whether to run the service (also when paths are given)
 * @param http HTTPS, access log and whether keys may travel over plain HTTP
 */
public record IngestConfig(
        KafkaSettings kafka,
        TopicCatalog topics,
        String httpHost,
        int port,
        NormalizerSettings normalizer,
        String applicationId,
        int streamThreads,
        Optional<Path> stateDir,
        boolean createTopics,
        int topicPartitions,
        short topicReplication,
        int maxUploads,
        Duration sendTimeout,
        int maxUploadParts,
        int maxUploadBytes,
        Optional<String> apiKey,
        DedupSettings dedup,
        PublishOptions publish,
        boolean serve,
        HttpServerConfig http) {

    /** Options that are switches: {@code --serve} alone means {@code --serve=true}. */

    public IngestConfig {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(normalizer, "normalizer");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(dedup, "dedup");
        Objects.requireNonNull(publish, "publish");
        if (port < 0 || port > 65535) {
            throw new ConfigException("--port must be 0..65535, but was " + port + ".");
        }
        if (streamThreads < 1) {
            throw new ConfigException("--stream-threads must be at least 1, but was " + streamThreads + ".");
        }
        if (maxUploadParts < 1 || maxUploadBytes < 1) {
            throw new ConfigException("--max-upload-parts and --max-upload-bytes must be at least 1, but were " + maxUploadParts + " and "
                    + maxUploadBytes + ".");
        }
        if (topicPartitions < 1 || topicReplication < 1) {
            throw new ConfigException("--topic-partitions and --topic-replication must be at least 1, but were "
                    + topicPartitions + " and " + topicReplication + ".");
        }
    }

    /** The knobs, in {@code --help} order. */
    public static ConfigSpec spec() {
        NormalizerSettings d = NormalizerSettings.defaults();
        return new ConfigSpec("gan ingest [--serve] [PATH...]",
                "Without PATHs (or with --serve) runs the ingest service: the Kafka Streams normaliser (images.raw -> images.train, "
                        + "rejects -> images.dlq) and the upload API (POST /v1/images). With PATHs publishes images to images.raw: "
                        + "IDX files (gzipped or not, labels found beside them), folders of images (labels from sub-folder names or "
                        + "labels.csv), tar/tar.gz archives, single images, or " + SampleData.FASHION_MNIST
                        + " (the bundled 500-image sample).")
                .addAll(KafkaOptions.spec())
                .addAll(HttpServerConfig.options())
                .add("port", "8081", "Port of the upload API and /healthz, /readyz, /metrics (0 picks a free one).")
                .add("http-host", "0.0.0.0", "Address the HTTP server binds.")
                .add("image-shape", d.shape().toString(), "Canonical image shape WIDTHxHEIGHTxCHANNELS (channels 1 gray or 3 RGB); must match the trainer's.")
                .add("classes", d.classes().toString(), "Class names in label order, comma-separated; labels are indices into this list or names in it.")
                .add("max-bytes", Integer.toString(d.maxBytes()), "Largest encoded image accepted, in bytes (larger: rejected as too_large, HTTP 413).")
                .add("max-pixels", Long.toString(d.maxPixels()), "Largest declared width x height decoded (larger: rejected as too_many_pixels, never decoded).")
                .add("min-side", Integer.toString(d.minSide()), "Smallest width or height accepted, in pixels (smaller: rejected as too_small).")
                .add("background", "black", "Colour transparent pixels are composited onto: black, white, a gray level 0..255 or #rrggbb.")
                .add("application-id", "gan-ingest", "Kafka Streams application id (consumer group and transactional id prefix).")
                .add("stream-threads", "1", "Kafka Streams threads normalising in parallel (one per input partition is the useful maximum).")
                .optional("state-dir", "Kafka Streams state directory (default: kafka-streams under the system temp dir).")
                .add("create-topics", "true", "Create missing pipeline topics at start (partitions and replication below).")
                .add("topic-partitions", "3", "Partitions of topics this service creates.")
                .add("topic-replication", "1", "Replication factor of topics this service creates (use 3 on a production cluster).")
                .add("max-uploads", "32", "Uploads being stored at once (complete body to broker acknowledgement); more get 503 with "
                        + "Retry-After. Bodies still arriving take no slot: together they may hold --max-uploads x the largest "
                        + "upload in memory, charged as their bytes arrive, and must arrive at 16 KiB/s after 10 s or get 408.")
                .add("send-timeout", "30s", "How long an upload waits for the broker's acknowledgement before answering 503.")
                .add("max-upload-parts", Integer.toString(UploadPolicy.DEFAULT_MAX_PARTS),
                        "Parts one multipart upload may have (images and label fields); more get 413.")
                .add("max-upload-bytes", Integer.toString(UploadPolicy.DEFAULT_MAX_UPLOAD_BYTES),
                        "Bytes one multipart upload may have in all (each image also within --max-bytes); more get 413. "
                                + "Uploads are held in memory: --max-uploads x this is the worst case.")
                .optional("api-key", "Bearer key POST /v1/images requires (Authorization: Bearer <key>); without it uploads are open.")
                .flag("dedup", "Hold back images whose image id (hash of the canonical pixels) was already accepted within "
                        + "--dedup-window; they are counted as gan_ingest_images_total{outcome=\"duplicate\"}.")
                .add("dedup-window", DedupSettings.DEFAULT_WINDOW.toHours() + "h", "How long the duplicate filter remembers an image id "
                        + "(record time). Memory: 150 to 320 bytes of heap per distinct image seen within the window (see docs/ingest.md).")
                .optional("limit", "Publish at most this many images (over all PATHs).")
                .optional("rate", "Publish at most this many images per second.")
                .flag("dry-run", "Read and validate the PATHs with the normaliser, print what would be rejected, produce nothing.")
                .add("progress", "auto", "How publishing shows progress on stderr: bar (redrawn in place), lines (one every few "
                        + "seconds, for logs), off, or auto (bar on a terminal, lines otherwise). A summary follows in every case.")
                .flag("serve", "Run the service even though PATHs are given (after publishing them).");
    }

    /** Parses arguments against {@link #spec()} with the given environment; bare switches are accepted. */
    public static ConfigValues values(List<String> args, Map<String, String> env) {
        return ConfigValues.parse(spec(), args, env);
    }

    /** The config from arguments and an environment (positional arguments are ignored here). */
    public static IngestConfig parse(List<String> args, Map<String, String> env) {
        return from(values(args, env), env);
    }

    /**
     * The config from parsed values.
     *
     * @throws ConfigException naming the flag to fix when a value is malformed
     */
    public static IngestConfig from(ConfigValues v) {
        return from(v, System.getenv());
    }

    /**
     * The config from parsed values, with Kafka client properties ({@code GAN_KAFKA_CLIENT_*}) from {@code env}.
     *
     * @throws ConfigException naming the flag to fix when a value is malformed
     */
    public static IngestConfig from(ConfigValues v, Map<String, String> env) {
        NormalizerSettings normalizer = new NormalizerSettings(
                convert(v, "image-shape", ImageShape::parse),
                convert(v, "classes", ClassList::parse),
                v.integer("max-bytes"),
                v.longValue("max-pixels"),
                v.integer("min-side"),
                convert(v, "background", Background::parse));
        int replication = v.integer("topic-replication");
        if (replication > Short.MAX_VALUE) {
            throw new ConfigException("--topic-replication must be a small number such as 1 or 3, but was " + replication + ".");
        }
        OptionalLong limit = v.optional("limit").isPresent() ? OptionalLong.of(v.longValue("limit")) : OptionalLong.empty();
        OptionalDouble rate = v.optional("rate").isPresent() ? OptionalDouble.of(v.decimal("rate")) : OptionalDouble.empty();
        PublishOptions publish;
        DedupSettings dedup;
        try {
            publish = new PublishOptions(limit, rate, v.bool("dry-run"), ProgressMode.parse(v.string("progress")));
            dedup = new DedupSettings(v.bool("dedup"), v.duration("dedup-window"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
        HttpServerConfig http = HttpServerConfig.from(v);
        http.requireSafeKeys(v.optional("api-key").isPresent(), "Ingest");
        return new IngestConfig(
                KafkaOptions.kafka(v, env),
                KafkaOptions.topics(v),
                v.string("http-host"),
                v.integer("port"),
                normalizer,
                v.string("application-id"),
                v.integer("stream-threads"),
                v.optional("state-dir").map(Path::of),
                v.bool("create-topics"),
                v.integer("topic-partitions"),
                (short) replication,
                v.integer("max-uploads"),
                v.duration("send-timeout"),
                v.integer("max-upload-parts"),
                v.integer("max-upload-bytes"),
                v.optional("api-key"),
                dedup,
                publish,
                v.bool("serve"),
                http);
    }

    /** What the readers need from this config. */
    public SourceOptions sourceOptions() {
        return new SourceOptions(normalizer.classes(), normalizer.maxBytes());
    }

    /** What the upload API needs from this config. */
    public UploadPolicy uploadPolicy() {
        return new UploadPolicy(normalizer.maxBytes(), normalizer.classes(), maxUploads, sendTimeout, maxUploadParts, maxUploadBytes, apiKey);
    }

    private static <T> T convert(ConfigValues v, String name, Function<String, T> parser) {
        try {
            return parser.apply(v.string(name));
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Option --" + name + " is invalid: " + e.getMessage(), e);
        }
    }
}
