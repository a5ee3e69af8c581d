package dev.ganpipe.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * A typed client of the generator service's HTTP API (DESIGN.md, "Ports and endpoints"; the service describes it at
 * {@code GET /openapi.json}): images, the model list, readiness and model activation. Refusals come back as
 * {@link GeneratorApiException}s carrying the service's error code and sentence. Closing it closes the HTTP client
 * when {@link #connect} made it, and leaves one passed in to its owner.
 */
public final class GeneratorClient implements AutoCloseable {

    private final URI base;
    private final Optional<String> apiKey;
    private final HttpClient http;
    private final Duration timeout;
    private final boolean ownsHttp;

    /**
     * @param base the service's address, e.g. {@code http://localhost:8080}
     * @param apiKey the bearer key, when the service was started with {@code --api-key} or {@code --admin-key}
     * @param http the HTTP client to call it with (one per application: it pools connections)
     * @param timeout how long one call may take
     */
    public GeneratorClient(URI base, Optional<String> apiKey, HttpClient http, Duration timeout) {
        this(base, apiKey, http, timeout, false);
    }

    private GeneratorClient(URI base, Optional<String> apiKey, HttpClient http, Duration timeout, boolean ownsHttp) {
        String text = Objects.requireNonNull(base, "Pass the generator's address, e.g. http://localhost:8080.").toString();
        this.base = URI.create(text.endsWith("/") ? text : text + "/");
        this.apiKey = Objects.requireNonNull(apiKey, "Pass Optional.empty() for a service without an API key.");
        this.http = Objects.requireNonNull(http, "Pass an HttpClient, e.g. HttpClient.newHttpClient().");
        this.timeout = Objects.requireNonNull(timeout, "Pass how long one call may take.");
        this.ownsHttp = ownsHttp;
    }

    /** A client of the service at {@code base} (e.g. {@code http://localhost:8080}) without a key, 60 s per call. */
    public static GeneratorClient connect(String base) {
        return new GeneratorClient(URI.create(base), Optional.empty(), HttpClient.newHttpClient(), Duration.ofSeconds(60), true);
    }

    @Override
    public void close() {
        if (ownsHttp) {
            http.close();
        }
    }

    /**
     * {@code GET /v1/generate}: {@code count} images from the live model.
     *
     * @param seed the noise seed; empty for one the service picks (it says which in {@link Generated#seed()})
     * @param label the class of every image (conditional models only); empty for image i of class i mod classes
     * @throws GeneratorApiException as {@link #generate(GenerateRequest)}
     */
    public Generated generate(GenerateFormat format, int count, OptionalLong seed, OptionalLong label) {
        GenerateRequest request = GenerateRequest.of(format, count);
        request = seed.isPresent() ? request.withSeed(seed.getAsLong()) : request;
        return generate(label.isPresent() ? request.withLabel(label.getAsLong()) : request);
    }

    /**
     * {@code GET /v1/generate} with every parameter the service takes.
     *
     * @throws GeneratorApiException e.g. 400 {@code bad_parameter} for a label the model lacks, 404 for a model that is
     *     not served, 409 {@code no_classifier} for {@code minConfidence} on a model without its classifier, 422
     *     {@code low_confidence} when too few images reach it, 503 {@code not_ready} while no model is live, 503
     *     {@code busy} with a retry-after when the service is full
     */
    public Generated generate(GenerateRequest request) {
        StringBuilder query = new StringBuilder("v1/generate?format=").append(request.format().query()).append("&count=").append(request.count());
        request.seed().ifPresent(value -> query.append("&seed=").append(value));
        request.label().ifPresent(value -> query.append("&label=").append(value));
        request.model().ifPresent(name -> query.append("&model=").append(URLEncoder.encode(name, StandardCharsets.UTF_8)));
        request.minConfidence().ifPresent(value -> query.append("&min_confidence=").append(value));
        HttpResponse<byte[]> response = call("GET", query.toString());
        return new Generated(request.format(), response.body(), headerNumber(response, "X-Model-Version").orElseThrow(() -> missing("X-Model-Version")),
                headerNumber(response, "X-Seed").orElseThrow(() -> missing("X-Seed")), headerNumber(response, "X-Label"),
                response.headers().firstValue("X-Model-Name"), confidences(response));
    }

    /** {@code count} single PNGs (a zip answer unpacked), in image order. */
    public List<byte[]> images(int count, OptionalLong seed, OptionalLong label) {
        return generate(GenerateFormat.ZIP, count, seed, label).pngs();
    }

    /** {@code GET /v1/models}: the models the service knows, and which one is live. */
    public Models models() {
        Map<String, Object> json = object(call("GET", "v1/models"));
        List<ModelInfo> models = new ArrayList<>();
        for (Object model : list(json.get("models"))) {
            models.add(modelInfo(object(model)));
        }
        // Services before several models were served have no "default": their one model is it.
        Optional<String> defaultModel = json.containsKey("default")
                ? Optional.ofNullable((String) json.get("default"))
                : models.stream().map(ModelInfo::name).findFirst();
        return new Models(optionalWhole(json.get("live")), optionalWhole(json.get("pinned")), defaultModel, models);
    }

    /**
     * {@code POST /v1/models/{version}/activate}: serves {@code version} from now on and pins it.
     *
     * @return the model now live
     */
    public ModelInfo activate(long version) {
        return activation("v1/models/" + version + "/activate");
    }

    /** {@code POST /v1/models/latest/activate}: unpins, so the newest model is served again. */
    public Optional<ModelInfo> activateLatest() {
        Object model = object(call("POST", "v1/models/latest/activate")).get("model");
        return model == null ? Optional.empty() : Optional.of(modelInfo(object(model)));
    }

    /** {@code GET /healthz}: whether the process serves at all. */
    public boolean healthy() {
        return probe("healthz");
    }

    /** {@code GET /readyz}: whether a model is live (and the request stream runs, when on), so images can be asked for. */
    public boolean ready() {
        return probe("readyz");
    }

    private ModelInfo activation(String path) {
        return modelInfo(object(object(call("POST", path)).get("model")));
    }

    private boolean probe(String path) {
        try {
            call("GET", path);
            return true;
        } catch (GeneratorApiException e) {
            if (e.status() == 503) {
                return false;
            }
            throw e;
        }
    }

    private HttpResponse<byte[]> call(String method, String path) {
        URI uri = base.resolve(path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).method(method, HttpRequest.BodyPublishers.noBody());
        apiKey.ifPresent(key -> request.header("Authorization", "Bearer " + key));
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("The generator at " + base + " could not be reached (" + method + " /" + path + "): " + e.getMessage()
                    + "; check the address and that the service runs.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while calling " + method + " " + uri + ".", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw refusal(method + " /" + path, response);
        }
        return response;
    }

    private static GeneratorApiException refusal(String call, HttpResponse<byte[]> response) {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        String error = "http_" + response.statusCode();
        String message = body.isBlank() ? "no detail" : body;
        try {
            if (JsonReader.parse(body) instanceof Map<?, ?> json && json.get("error") instanceof String code
                    && json.get("message") instanceof String sentence) {
                error = code;
                message = sentence;
            }
        } catch (IllegalArgumentException notJson) {
            // Not the service's JSON error (e.g. a proxy's page): the body itself, above, is the best detail there is.
            message = body.length() > 200 ? body.substring(0, 200) + "..." : body;
        }
        return new GeneratorApiException(call, response.statusCode(), error, message, headerNumber(response, "Retry-After"));
    }

    private static OptionalLong headerNumber(HttpResponse<?> response, String name) {
        Optional<String> value = response.headers().firstValue(name);
        if (value.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value.get().trim()));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("The generator's " + name + " header should be a whole number but was '" + value.get() + "'.", e);
        }
    }

    /** {@code X-Label-Confidence}: one probability per image, comma-separated; empty when the model ships no classifier. */
    private static List<Double> confidences(HttpResponse<?> response) {
        Optional<String> value = response.headers().firstValue("X-Label-Confidence");
        if (value.isEmpty() || value.get().isBlank()) {
            return List.of();
        }
        try {
            return Arrays.stream(value.get().split(",")).map(String::strip).map(Double::valueOf).toList();
        } catch (NumberFormatException e) {
            throw new IllegalStateException("The generator's X-Label-Confidence header should list numbers but was '" + value.get() + "'.", e);
        }
    }

    private static IllegalStateException missing(String header) {
        return new IllegalStateException("The generator's answer lacks the " + header + " header; is the address that of a ganpipe generator?");
    }

    private static Map<String, Object> object(HttpResponse<byte[]> response) {
        return object(JsonReader.parse(new String(response.body(), StandardCharsets.UTF_8)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object json) {
        if (json instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IllegalStateException("The generator answered " + json + " where a JSON object was expected.");
    }

    private static List<?> list(Object json) {
        if (json instanceof List<?> items) {
            return items;
        }
        throw new IllegalStateException("The generator answered " + json + " where a JSON array was expected.");
    }

    private static OptionalLong optionalWhole(Object json) {
        return json == null ? OptionalLong.empty() : OptionalLong.of(whole(json));
    }

    private static long whole(Object json) {
        if (json instanceof Long value) {
            return value;
        }
        throw new IllegalStateException("The generator answered " + json + " where a whole number was expected.");
    }

    private static String text(Object json) {
        if (json instanceof String value) {
            return value;
        }
        throw new IllegalStateException("The generator answered " + json + " where a string was expected.");
    }

    private static ModelInfo modelInfo(Map<String, Object> json) {
        List<String> classes = new ArrayList<>();
        if (json.get("classes") != null) {
            for (Object name : list(json.get("classes"))) {
                classes.add(text(name));
            }
        }
        Map<String, Double> metrics = new TreeMap<>();
        if (json.get("metrics") != null) {
            object(json.get("metrics")).forEach((name, value) -> metrics.put(name, switch (value) {
                case Number number -> number.doubleValue();
                case String special -> Double.valueOf(special);
                default -> throw new IllegalStateException("Metric " + name + " of the generator's model list is " + value + ", no number.");
            }));
        }
        return new ModelInfo(text(json.get("name")), whole(json.get("version")), whole(json.get("step")), text(json.get("created")),
                ImageShape.parse(text(json.get("imageShape"))), text(json.get("status")), Boolean.TRUE.equals(json.get("active")),
                Boolean.TRUE.equals(json.get("pinned")), classes, metrics,
                json.get("reason") == null ? Optional.empty() : Optional.of(text(json.get("reason"))));
    }
}
