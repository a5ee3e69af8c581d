package dev.ganpipe.generator;

import dev.ganpipe.common.config.ConfigException;
import dev.ganpipe.common.config.ConfigSpec;
import dev.ganpipe.common.config.ConfigValues;
import dev.ganpipe.common.http.HttpServerConfig;
import dev.ganpipe.common.config.KafkaOptions;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.generator.batch.ImageAdmission;
import dev.ganpipe.generator.continuous.ContinuousSettings;
import dev.ganpipe.generator.http.ApiSettings;
import dev.ganpipe.generator.onnx.OrtSettings;
import dev.ganpipe.common.model.ModelKeys;
import dev.ganpipe.generator.model.ModelCatalog;
import dev.ganpipe.generator.model.ModelTrust;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Every knob of {@code gan generator}; {@link #spec()} lists them with their defaults for {@code --help}.
 *
 * @param host address the HTTP server binds
 * @param port HTTP port (0 picks a free one)
 * @param kafka the Kafka connection
 * @param topics topic names
 * @param modelsFromTopic whether to read models from the models topic
 * @param modelsDir models directory to watch, if any
 * @param modelsScan how often the models directory is scanned
 * @param modelName the default model: served to requests that name none; empty: the only model served (requests
 *     must name one once several are served)
 * @param maxModels the most model names served side by side; later names are refused with a log line
 * @param onlyModels the model names to serve, when the operator lists them; empty: every name found
 * @param keepVersions how many versions of each model stay loaded (and can be pinned)
 * @param maxBatch most images in one ONNX Runtime forward pass
 * @param maxWait longest a request waits for others to batch with
 * @param ort ONNX Runtime settings
 * @param api HTTP limits and keys
 * @param requestsStream whether the Kafka Streams app answers {@code synthetic.requests}
 * @param requestsAppId the Streams application id of the request stream
 * @param continuous continuous mode: rate (0 is off), start seed and label mix
 * @param trust which models are believed to come from the trainer (signature, version jump)
 * @param http HTTPS, access log and whether keys may travel over plain HTTP
 */
public record GeneratorConfig(
        String host,
        int port,
        KafkaSettings kafka,
        TopicCatalog topics,
        boolean modelsFromTopic,
        Optional<Path> modelsDir,
        Duration modelsScan,
        Optional<String> modelName,
        int maxModels,
        List<String> onlyModels,
        int keepVersions,
        int maxBatch,
        Duration maxWait,
        OrtSettings ort,
        ApiSettings api,
        boolean requestsStream,
        String requestsAppId,
        ContinuousSettings continuous,
        ModelTrust trust,
        HttpServerConfig http) {

    public GeneratorConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(modelsDir, "modelsDir");
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(ort, "ort");
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(requestsAppId, "requestsAppId");
        Objects.requireNonNull(continuous, "continuous");
        Objects.requireNonNull(trust, "trust");
        if (requestsAppId.isBlank()) {
            throw new ConfigException("Option --requests-app-id must not be blank; leave the default gan-generator-requests or name one.");
        }
        if (port < 0 || port > 65535) {
            throw new ConfigException("Option --port must be between 0 and 65535, but was " + port + ".");
        }
        if (!modelsFromTopic && modelsDir.isEmpty()) {
            throw new ConfigException("The generator has no model source: set --models-dir, or --models-from-topic true (the default).");
        }
        if (modelsScan.isNegative() || modelsScan.isZero()) {
            throw new ConfigException("Option --models-scan must be positive, e.g. 2s, but was " + modelsScan + ".");
        }
        if (maxModels < 1) {
            throw new ConfigException("Option --max-models must be at least 1, but was " + maxModels + ".");
        }
        onlyModels = List.copyOf(onlyModels);
        if (onlyModels.size() > maxModels) {
            throw new ConfigException("Option --models lists " + onlyModels.size() + " names but --max-models allows " + maxModels
                    + "; raise --max-models or list fewer names.");
        }
        if (modelName.isPresent() && !onlyModels.isEmpty() && !onlyModels.contains(modelName.get())) {
            throw new ConfigException("Option --model-name " + modelName.get() + " is not among the names --models serves ("
                    + String.join(", ", onlyModels) + "); add it to --models or choose one of them.");
        }
        if (keepVersions < 1) {
            throw new ConfigException("Option --keep-versions must be at least 1, but was " + keepVersions + ".");
        }
        if (maxBatch < 1) {
            throw new ConfigException("Option --max-batch must be at least 1, but was " + maxBatch + ".");
        }
        if (maxWait.isNegative()) {
            throw new ConfigException("Option --max-wait must not be negative, but was " + maxWait + ".");
        }
        try {
            ImageAdmission.check(api.maxQueuedImages(), api.maxCount(), maxBatch);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage() + " Raise --max-queued-images, or lower --max-count or --max-batch.", e);
        }
    }

    /** The knobs, in {@code --help} order; the Kafka connection and topic names come last. */
    public static ConfigSpec spec() {
        return new ConfigSpec("gan generator", "Serves synthetic images from the newest published ONNX generator over HTTP, with hot swap.")
                .add("host", "0.0.0.0", "Address the HTTP server binds.")
                .add("port", "8080", "HTTP port (0 picks a free one).")
                .add("models-from-topic", "true", "Read models from the compacted models topic, from the start on every boot (true|false).")
                .optional("models-dir", "A models directory to watch for <name>-v<version>.onnx with its .json manifest.")
                .add("models-scan", "2s", "How often the models directory is scanned.")
                .optional("model-name", "The default model: requests that name no model (model=NAME, \"model\" on synthetic.requests) "
                        + "and continuous mode get it. Every model name on the topic and in the folder is served either way; without it, "
                        + "requests must name a model once several are served.")
                .optional("models", "Serve only these model names, comma-separated (e.g. fashion-dcgan28,cifar-dcgan32); models of "
                        + "other names are refused with a log line. Without it every name found is served, up to --max-models.")
                .add("max-models", Integer.toString(ModelCatalog.DEFAULT_MAX_MODELS), "Most model names served side by side (each "
                        + "keeps --keep-versions versions loaded); models of further names are refused, with a log line.")
                .add("keep-versions", "3", "How many versions of each model stay loaded and can be pinned.")
                .optional("model-verify-key", "The trainer's Ed25519 public key (a PEM file, BEGIN PUBLIC KEY, or a PKCS12/JKS keystore "
                        + "with --model-key-password): every model's signature must verify with it, else the model is refused. "
                        + "Required unless --allow-unsigned-models.")
                .optional("model-key-password", "Password of the --model-verify-key keystore (not needed for a PEM file).")
                .flag("allow-unsigned-models", "Serve models without a signature too (a trainer without --model-signing-key); anyone "
                        + "who can write to the models topic or folder can then choose what is served. Signed models are still verified.")
                .add("max-version-jump", Long.toString(ModelTrust.DEFAULT_MAX_VERSION_JUMP), "Refuse a model whose version is more than "
                        + "this beyond the newest one accepted (a replay with a made-up version).")
                .add("max-count", "1024", "Most images one /v1/generate request may ask for.")
                .add("max-queued-images", Long.toString(ApiSettings.DEFAULT_MAX_QUEUED_IMAGES), "Most images /v1/generate requests may "
                        + "have asked for and not yet received; a request that does not fit gets 503 with Retry-After at once. A request "
                        + "larger than --max-batch is admitted only while it leaves --max-batch of room. At least --max-count + --max-batch.")
                .add("max-batch", "256", "Most images merged into one ONNX Runtime forward pass; large requests are generated in "
                        + "shares of it that take turns with other requests'.")
                .add("max-wait", "2ms", "Longest a request waits for others to batch with.")
                .add("ort-provider", "auto", "ONNX Runtime execution provider: auto (CUDA if it loads, else CPU), cpu or cuda.")
                .add("ort-threads", "0", "Threads per forward pass (ONNX Runtime intra-op threads); 0 lets ONNX Runtime choose.")
                .add("ort-optimization", "all", "ONNX Runtime graph optimisation level: all, extended, basic or none.")
                .add("ort-spin-wait", "off", "When ONNX Runtime's threads spin for work instead of sleeping: 'off' never (the cores stay free "
                        + "for the HTTP threads), 'pass' within a forward pass only (they stop when it returns), 'always' also between "
                        + "passes (ONNX Runtime's own default).")
                .optional("api-key", "Bearer key for /v1/generate and GET /v1/models; without it they are open.")
                .optional("admin-key", "Bearer key for POST /v1/models/[{name}/]{version}/activate; without it the --api-key guards activation too (open only without either).")
                .add("requests-stream", "true", "Answer synthetic.requests records with images on synthetic.images (a Kafka Streams app; "
                        + "/readyz waits for it). false serves HTTP only, without a broker (true|false).")
                .add("requests-app-id", "gan-generator-requests", "Kafka Streams application id of the request stream (its consumer group).")
                .add("continuous-rate", "0", "Continuous mode: images per second published to synthetic.images for consumers that want a "
                        + "steady stream; 0 is off.")
                .optional("continuous-seed", "Continuous mode: image n has seed <this> + n; without it a random start seed is chosen and logged.")
                .add("continuous-labels", "all", "Continuous mode with a conditional model: the label mix, 'all' (every class in turn) or "
                        + "class numbers such as 0,0,3 (a class listed twice comes twice as often); ignored for unconditional models.")
                .addAll(KafkaOptions.spec())
                .addAll(HttpServerConfig.options());
    }

    /**
     * Builds the config from parsed values.
     *
     * @throws ConfigException naming the option to fix
     */
    public static GeneratorConfig from(ConfigValues v) {
        OrtSettings ort;
        try {
            ort = new OrtSettings(v.choice("ort-provider", OrtSettings.Provider.class), v.integer("ort-threads"),
                    OrtSettings.parseOptimization(v.string("ort-optimization")), OrtSettings.SpinWait.parse(v.string("ort-spin-wait")));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage() + " Fix --ort-provider, --ort-threads, --ort-optimization or --ort-spin-wait.", e);
        }
        ApiSettings api;
        try {
            api = new ApiSettings(v.integer("max-count"), v.optional("api-key"), v.optional("admin-key"), v.longValue("max-queued-images"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage() + " Fix --max-count or --max-queued-images.", e);
        }
        ContinuousSettings continuous;
        try {
            long startSeed = v.optional("continuous-seed").isPresent()
                    ? v.longValue("continuous-seed")
                    : ThreadLocalRandom.current().nextLong(1L << 53);
            continuous = new ContinuousSettings(v.decimal("continuous-rate"), startSeed,
                    ContinuousSettings.parseLabels(v.string("continuous-labels")));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage() + " Fix --continuous-rate, --continuous-seed or --continuous-labels.", e);
        }
        ModelTrust trust;
        try {
            Optional<PublicKey> key = v.optional("model-verify-key")
                    .map(file -> ModelKeys.publicKey(Path.of(file), v.optional("model-key-password")));
            trust = new ModelTrust(key, v.bool("allow-unsigned-models"), v.longValue("max-version-jump"));
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new ConfigException(e.getMessage() + " Fix --model-verify-key, --allow-unsigned-models or --max-version-jump.", e);
        }
        HttpServerConfig http = HttpServerConfig.from(v);
        http.requireSafeKeys(api.apiKey().isPresent() || api.adminKey().isPresent(), "The generator");
        return new GeneratorConfig(
                v.string("host"),
                v.integer("port"),
                KafkaOptions.kafka(v),
                KafkaOptions.topics(v),
                v.bool("models-from-topic"),
                v.optional("models-dir").map(Path::of),
                v.duration("models-scan"),
                v.optional("model-name"),
                v.integer("max-models"),
                v.optional("models").map(GeneratorConfig::names).orElse(List.of()),
                v.integer("keep-versions"),
                v.integer("max-batch"),
                v.duration("max-wait"),
                ort,
                api,
                v.bool("requests-stream"),
                v.string("requests-app-id"),
                continuous,
                trust,
                http);
    }

    // "a, b,,c" is [a, b, c]: blanks between commas are typing slips, not names.
    private static List<String> names(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(name -> !name.isEmpty()).distinct().toList();
    }

    /** Parses command-line arguments with the process environment. */
    public static GeneratorConfig parse(String... args) {
        return from(ConfigValues.parse(spec(), args));
    }
}
