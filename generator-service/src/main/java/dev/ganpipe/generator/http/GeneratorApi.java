package dev.ganpipe.generator.http;

import dev.ganpipe.common.http.BearerAuth;
import dev.ganpipe.common.http.HttpError;
import dev.ganpipe.common.http.Request;
import dev.ganpipe.common.http.Response;
import dev.ganpipe.common.http.Routes;
import dev.ganpipe.generator.batch.ImageAdmission;
import dev.ganpipe.generator.batch.MicroBatcher;
import dev.ganpipe.generator.images.ConfidenceException;
import dev.ganpipe.generator.images.GeneratedImages;
import dev.ganpipe.generator.images.Generation;
import dev.ganpipe.generator.images.LabelException;
import dev.ganpipe.generator.model.LoadedModel;
import dev.ganpipe.generator.model.ModelInfo;
import dev.ganpipe.generator.model.ModelLease;
import dev.ganpipe.generator.model.ModelRegistry;
import dev.ganpipe.generator.model.UnavailableModelException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import org.slf4j.MDC;

/** The generator service's HTTP API (DESIGN.md, "Ports and endpoints"), built in {@link #routes}. */
public final class GeneratorApi {

    /** Response header: the version of the model that generated the images. */
    public static final String MODEL_VERSION_HEADER = "X-Model-Version";
    /** Logging-context (MDC) key of the model version, in the lines logged while a generate request is served. */
    public static final String MODEL_VERSION_LOG_KEY = "modelVersion";
    /** Response header: the seed the images were generated from (the random one when none was given). */
    public static final String SEED_HEADER = "X-Seed";
    /** Response header: the label of every image, when a conditional model was asked for one class. */
    public static final String LABEL_HEADER = "X-Label";
    /**
     * Response header from a model that ships its classifier: each image's confidence for its label, 0 to 1, comma-separated
     * in image order (the {@code gan.label.confidence} of {@code synthetic.images}).
     */
    public static final String LABEL_CONFIDENCE_HEADER = "X-Label-Confidence";
    /** Random seeds stay below 2^53 so that JavaScript clients can send them back exactly. */
    static final long RANDOM_SEED_BOUND = 1L << 53;
    /** Why {@code /readyz} answers 503. */
    public static final String NOT_READY_REASON = "Not ready: no generator model is live yet (publish one to the models topic or "
            + "models directory), or the synthetic.requests stream (--requests-stream) is not running yet; the service log says which.";
    private static final String GALLERY_PAGE = "gallery.html";

    private final Generation generation;
    private final ModelRegistry registry;
    private final ApiSettings settings;
    private final ImageAdmission admission;
    private final byte[] galleryPage;

    private GeneratorApi(Generation generation, ApiSettings settings, ImageAdmission admission) {
        this.generation = generation;
        this.registry = generation.registry();
        this.settings = settings;
        this.admission = admission;
        this.galleryPage = resource(GALLERY_PAGE);
    }

    /**
     * The routing table: {@code GET /v1/generate}, {@code GET /v1/models}, {@code POST /v1/models/latest/activate},
     * {@code POST /v1/models/{version}/activate}, {@code GET /} (gallery) and {@code /healthz}, {@code /readyz},
     * {@code /metrics}, {@code /openapi.json} (the document beside this class, which describes all of them).
     *
     * @param ready what {@code /readyz} reports: a model is live and whatever else the service needs is running
     */
    public static Routes routes(Generation generation, ApiSettings settings, PrometheusMeterRegistry meters, BooleanSupplier ready) {
        MicroBatcher batcher = generation.batcher();
        ImageAdmission admission = new ImageAdmission(settings.maxQueuedImages(), settings.maxCount(), batcher.maxBatch(),
                batcher::imagesPerSecond, meters);
        GeneratorApi api = new GeneratorApi(generation, settings, admission);
        return new Routes()
                .get("/v1/generate", api::generate)
                .get("/v1/models", api::models)
                .post("/v1/models/latest/activate", api::activateLatest)
                .post("/v1/models/{version}/activate", api::activate)
                .get("/", api::gallery)
                .standard(meters, ready, NOT_READY_REASON)
                .openApi(GeneratorApi.class);
    }

    private Response generate(Request request) {
        BearerAuth.require(request, List.of(settings.apiKey(), settings.adminKey()), "Generating images", "--api-key");
        GenerateQuery query = GenerateQuery.parse(request, settings.maxCount());
        ResponseFormat format = query.format();
        int count = query.count();
        long seed = query.seed();
        OptionalInt columns = query.columns();
        Optional<ImageAdmission.Ticket> admitted = admission.tryAdmit(count);
        if (admitted.isEmpty()) {
            return busy(count);
        }
        ImageAdmission.Ticket ticket = admitted.get();
        try (ModelLease lease = generation.acquire().orElseThrow(() -> HttpError.notReady(
                "No generator model is live yet; the service loads one as soon as the trainer publishes it. Retry shortly."))) {
            LoadedModel model = lease.model();
            // The request's further log lines name the version that served it (HttpService clears it with the request).
            MDC.put(MODEL_VERSION_LOG_KEY, Long.toString(model.version()));
            GeneratedImages generated;
            OptionalLong label;
            try {
                label = Generation.labelIndex(model, query.label());
                // With min_confidence the work grows to at most Generation.MAX_CANDIDATES_PER_IMAGE candidates per image.
                generated = query.minConfidence().isPresent()
                        ? generation.confident(model, seed, count, label, query.minConfidence().getAsDouble())
                        : generation.generate(model, seed, count, Generation.labels(model, count, label));
            } catch (LabelException e) {
                throw HttpError.badRequest(e.getMessage());
            } catch (ConfidenceException e) {
                throw e.noClassifier() ? new HttpError(409, "no_classifier", e.getMessage()) : new HttpError(422, "low_confidence", e.getMessage());
            }
            // The images are out of the queue; encoding them is this request's own work.
            ticket.close();
            byte[] body = format == ResponseFormat.GRID && columns.isPresent()
                    ? ResponseFormat.grid(generated.images(), columns.getAsInt())
                    : format.encode(generated);
            Response response = Response.of(200, format.contentType(), body)
                    .withHeader(MODEL_VERSION_HEADER, Long.toString(model.version()))
                    .withHeader(SEED_HEADER, Long.toString(seed));
            if (label.isPresent()) {
                response = response.withHeader(LABEL_HEADER, Long.toString(label.getAsLong()));
            }
            if (generated.confidences() != null) {
                response = response.withHeader(LABEL_CONFIDENCE_HEADER, ResponseFormat.confidences(generated));
            }
            if (format == ResponseFormat.ZIP || format == ResponseFormat.NPY) {
                response = response.withHeader("Content-Disposition", "attachment; filename=\"generated-v" + model.version()
                        + "-seed" + seed + "." + format.extension() + "\"");
            }
            return response;
        } finally {
            ticket.close();
        }
    }

    /** 503 at once, rather than a wait behind more work than the service should hold. */
    private Response busy(int count) {
        long retryAfter = admission.retryAfterSeconds();
        return Response.error(503, "busy", "The generator has " + admission.queued() + " images queued (at most "
                + admission.maxQueuedImages() + ", less one forward pass for requests larger than one), so this request for " + count
                + " images was not queued; retry in " + retryAfter + " s, or ask for fewer images.")
                .withHeader("Retry-After", Long.toString(retryAfter));
    }

    private Response models(Request request) {
        BearerAuth.require(request, List.of(settings.apiKey(), settings.adminKey()), "Listing models", "--api-key");
        Map<String, Object> body = liveAndPinned();
        body.put("models", registry.models());
        return Response.json(200, body);
    }

    private Response activateLatest(Request request) {
        requireAdmin(request);
        Optional<ModelInfo> live = registry.unpin();
        return activation(live.orElse(null));
    }

    private Response activate(Request request) {
        requireAdmin(request);
        String raw = request.pathParam("version");
        long version;
        try {
            version = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw HttpError.badRequest("The version in /v1/models/{version}/activate must be an integer or 'latest', but was '"
                    + (raw.length() > 20 ? raw.substring(0, 20) + "..." : raw) + "'.");
        }
        try {
            return activation(registry.activate(version));
        } catch (UnavailableModelException e) {
            throw e.known() ? new HttpError(409, "conflict", e.getMessage()) : HttpError.notFound(e.getMessage());
        }
    }

    /**
     * Activation changes what every client gets, so it takes the admin key, or the API key when no admin key is set:
     * an operator who set only {@code --api-key} must not find activation open to anyone.
     */
    private void requireAdmin(Request request) {
        BearerAuth.require(request, List.of(settings.adminKey().or(settings::apiKey)), "Activating models",
                settings.adminKey().isPresent() ? "--admin-key" : "--api-key");
    }

    private Response activation(ModelInfo live) {
        Map<String, Object> body = liveAndPinned();
        body.put("model", live);
        return Response.json(200, body);
    }

    /** The start of every models answer: the live and the pinned version (null when none), in this order. */
    private Map<String, Object> liveAndPinned() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("live", boxed(registry.liveVersion()));
        body.put("pinned", boxed(registry.pinnedVersion()));
        return body;
    }

    private Response gallery(Request request) {
        return Response.of(200, "text/html; charset=utf-8", galleryPage);
    }

    private static byte[] resource(String name) {
        try (InputStream in = GeneratorApi.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("The resource " + name + " is missing from the generator-service jar; rebuild it.");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Reading the resource " + name + " from the generator-service jar failed.", e);
        }
    }

    private static Long boxed(OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : null;
    }
}
