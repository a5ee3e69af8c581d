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
import dev.ganpipe.generator.model.ModelCatalog;
import dev.ganpipe.generator.model.ModelChoiceException;
import dev.ganpipe.generator.model.ModelInfo;
import dev.ganpipe.generator.model.ModelLease;
import dev.ganpipe.generator.model.ModelRegistry;
import dev.ganpipe.generator.model.UnavailableModelException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
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

    /** Response header: the name of the model that generated the images. */
    public static final String MODEL_NAME_HEADER = "X-Model-Name";
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
    private final ModelCatalog catalog;
    private final ApiSettings settings;
    private final ImageAdmission admission;
    private final byte[] galleryPage;

    private GeneratorApi(Generation generation, ApiSettings settings, ImageAdmission admission) {
        this.generation = generation;
        this.catalog = generation.catalog();
        this.settings = settings;
        this.admission = admission;
        this.galleryPage = resource(GALLERY_PAGE);
    }

    /**
     * The routing table: {@code GET /v1/generate}, {@code GET /v1/models}, {@code POST /v1/models/latest/activate},
     * {@code POST /v1/models/{version}/activate} (both for the default model), their per-name forms
     * {@code POST /v1/models/{name}/latest/activate} and {@code POST /v1/models/{name}/{version}/activate},
     * {@code GET /} (gallery) and {@code /healthz}, {@code /readyz},
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
                .post("/v1/models/latest/activate", request -> api.activateLatest(request, Optional.empty()))
                .post("/v1/models/{version}/activate", request -> api.activate(request, Optional.empty()))
                .post("/v1/models/{name}/latest/activate", request -> api.activateLatest(request, Optional.of(request.pathParam("name"))))
                .post("/v1/models/{name}/{version}/activate", request -> api.activate(request, Optional.of(request.pathParam("name"))))
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
        try (ModelLease lease = lease(query)) {
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
                    .withHeader(MODEL_NAME_HEADER, model.manifest().name())
                    .withHeader(MODEL_VERSION_HEADER, Long.toString(model.version()))
                    .withHeader(SEED_HEADER, Long.toString(seed));
            if (label.isPresent()) {
                response = response.withHeader(LABEL_HEADER, Long.toString(label.getAsLong()));
            }
            if (generated.confidences() != null) {
                response = response.withHeader(LABEL_CONFIDENCE_HEADER, ResponseFormat.confidences(generated));
            }
            if (format == ResponseFormat.ZIP || format == ResponseFormat.NPY) {
                // Named after the model too, so downloads from several models do not overwrite each other; a name is a
                // topic key and may hold any character, so only file-name-safe ones are kept.
                String safeName = model.manifest().name().replaceAll("[^A-Za-z0-9._-]", "_");
                response = response.withHeader("Content-Disposition", "attachment; filename=\"" + safeName + "-v" + model.version()
                        + "-seed" + seed + "." + format.extension() + "\"");
            }
            return response;
        } finally {
            ticket.close();
        }
    }

    /** A lease on the model and version the query asks for: 404/409 for one not loaded, 400 when it must name a model. */
    private ModelLease lease(GenerateQuery query) {
        Optional<ModelLease> lease;
        try {
            lease = generation.acquire(query.model(), query.version());
        } catch (ModelChoiceException e) {
            throw e.unknownName() ? HttpError.notFound(e.getMessage()) : HttpError.badRequest(e.getMessage());
        } catch (UnavailableModelException e) {
            throw e.known() ? new HttpError(409, "conflict", e.getMessage()) : HttpError.notFound(e.getMessage());
        }
        return lease.orElseThrow(() -> HttpError.notReady(query.model().isPresent()
                ? "Model '" + query.model().get() + "' has no live version yet; the service loads one as soon as the trainer publishes it. Retry shortly."
                : "No generator model is live yet; the service loads one as soon as the trainer publishes it. Retry shortly."));
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
        Map<String, Object> body = liveAndPinned(catalog.defaultRegistry());
        body.put("default", catalog.defaultName().orElse(null));
        List<Map<String, Object>> served = new ArrayList<>();
        for (Map.Entry<String, ModelRegistry> named : catalog.registries().entrySet()) {
            served.add(served(named.getKey(), named.getValue()));
        }
        body.put("served", served);
        body.put("models", catalog.models());
        return Response.json(200, body);
    }

    /** One row of {@code served}: a model name, its live and pinned version, and what its live version makes. */
    private static Map<String, Object> served(String name, ModelRegistry registry) {
        Map<String, Object> row = liveAndPinned(Optional.of(registry));
        row.put("name", name);
        List<ModelInfo> versions = registry.models();
        versions.stream().filter(ModelInfo::active).findFirst().ifPresent(live -> {
            row.put("imageShape", live.imageShape());
            if (live.classes() != null) {
                row.put("classes", live.classes());
            }
        });
        row.put("versions", versions.stream().filter(m -> "loaded".equals(m.status())).map(ModelInfo::version).toList());
        return row;
    }

    private Response activateLatest(Request request, Optional<String> name) {
        requireAdmin(request);
        Optional<ModelRegistry> registry = named(name);
        Optional<ModelInfo> live = registry.flatMap(ModelRegistry::unpin);
        return activation(registry, live.orElse(null));
    }

    private Response activate(Request request, Optional<String> name) {
        requireAdmin(request);
        Optional<ModelRegistry> named = named(name);
        String raw = request.pathParam("version");
        long version;
        try {
            version = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw HttpError.badRequest("The version in /v1/models/{version}/activate must be an integer or 'latest', but was '"
                    + (raw.length() > 20 ? raw.substring(0, 20) + "..." : raw) + "'.");
        }
        ModelRegistry registry = named.orElseThrow(() -> HttpError.notFound("No model version " + version
                + " is known: no model has arrived yet; GET /v1/models lists the versions."));
        try {
            return activation(named, registry.activate(version));
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

    /**
     * The registry an activation path names ({@code {name}}), or the default model's (empty while it has not arrived):
     * 404 for a name not served, 400 when several are served without a default.
     */
    private Optional<ModelRegistry> named(Optional<String> name) {
        try {
            return catalog.resolve(name);
        } catch (ModelChoiceException e) {
            throw e.unknownName() ? HttpError.notFound(e.getMessage()) : HttpError.badRequest(e.getMessage()
                    + " To activate, use POST /v1/models/{name}/{version}/activate.");
        }
    }

    private Response activation(Optional<ModelRegistry> registry, ModelInfo live) {
        Map<String, Object> body = liveAndPinned(registry);
        body.put("model", live);
        return Response.json(200, body);
    }

    /** The start of every models answer: the model's live and pinned version (null when none), in this order. */
    private static Map<String, Object> liveAndPinned(Optional<ModelRegistry> registry) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("live", registry.map(r -> boxed(r.liveVersion())).orElse(null));
        body.put("pinned", registry.map(r -> boxed(r.pinnedVersion())).orElse(null));
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
