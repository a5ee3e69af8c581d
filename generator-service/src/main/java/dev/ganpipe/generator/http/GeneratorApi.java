package dev.ganpipe.generator.http;

import dev.ganpipe.common.http.HttpError;
import dev.ganpipe.common.http.Request;
import dev.ganpipe.common.http.Response;
import dev.ganpipe.common.http.Routes;
import dev.ganpipe.common.image.CanonicalImage;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.image.ModelPixels;
import dev.ganpipe.common.metrics.MetricNames;
import dev.ganpipe.common.model.Noise;
import dev.ganpipe.generator.batch.MicroBatcher;
import dev.ganpipe.generator.model.LoadedModel;
import dev.ganpipe.generator.model.ModelInfo;
import dev.ganpipe.generator.model.ModelLease;
import dev.ganpipe.generator.model.ModelRegistry;
import dev.ganpipe.generator.model.UnavailableModelException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;

/** The generator service's HTTP API (DESIGN.md, "Ports and endpoints"), built in {@link #routes}. */
public final class GeneratorApi {

    /** Response header: the version of the model that generated the images. */
    public static final String MODEL_VERSION_HEADER = "X-Model-Version";
    /** Response header: the seed the images were generated from (the random one when none was given). */
    public static final String SEED_HEADER = "X-Seed";
    /** Random seeds stay below 2^53 so that JavaScript clients can send them back exactly. */
    static final long RANDOM_SEED_BOUND = 1L << 53;

    private final ModelRegistry registry;
    private final MicroBatcher batcher;
    private final ApiSettings settings;
    private final Counter images;

    private GeneratorApi(ModelRegistry registry, MicroBatcher batcher, ApiSettings settings, PrometheusMeterRegistry meters) {
        this.registry = registry;
        this.batcher = batcher;
        this.settings = settings;
        this.images = Counter.builder(MetricNames.GENERATOR_IMAGES).description("Images generated").baseUnit("images").register(meters);
    }

    /**
     * The routing table: {@code GET /v1/generate}, {@code GET /v1/models}, {@code POST /v1/models/latest/activate},
     * {@code POST /v1/models/{version}/activate}, {@code GET /} (gallery) and {@code /healthz}, {@code /readyz},
     * {@code /metrics}.
     */
    public static Routes routes(ModelRegistry registry, MicroBatcher batcher, ApiSettings settings, PrometheusMeterRegistry meters) {
        GeneratorApi api = new GeneratorApi(registry, batcher, settings, meters);
        return new Routes()
                .get("/v1/generate", api::generate)
                .get("/v1/models", api::models)
                .post("/v1/models/latest/activate", api::activateLatest)
                .post("/v1/models/{version}/activate", api::activate)
                .get("/", api::gallery)
                .standard(meters, registry::ready, "No generator model is live yet: publish one to the models topic or models directory.");
    }

    private Response generate(Request request) {
        BearerAuth.require(request, List.of(settings.apiKey(), settings.adminKey()), "Generating images", "--api-key");
        ImageFormat format = ImageFormat.parse(request.query("format").orElse(ImageFormat.GRID.parameter()));
        int defaultCount = format == ImageFormat.PNG ? 1 : Math.min(ApiSettings.DEFAULT_COUNT, settings.maxCount());
        int count = request.intParam("count", defaultCount, 1, settings.maxCount());
        if (format == ImageFormat.PNG && count != 1) {
            throw HttpError.badRequest("format=png returns one image, but count was " + count + "; use format=grid or format=zip for more.");
        }
        long seed = request.query("seed").isPresent()
                ? request.longParam("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE)
                : ThreadLocalRandom.current().nextLong(RANDOM_SEED_BOUND);
        OptionalLong label = request.query("label").isPresent()
                ? OptionalLong.of(request.longParam("label", 0, 0, Integer.MAX_VALUE))
                : OptionalLong.empty();
        try (ModelLease lease = registry.acquire().orElseThrow(() -> HttpError.notReady(
                "No generator model is live yet; the service loads one as soon as the trainer publishes it. Retry shortly."))) {
            LoadedModel model = lease.model();
            if (label.isPresent()) {
                throw HttpError.badRequest("Model v" + model.version() + " is unconditional, so it takes no label; drop the 'label' parameter.");
            }
            float[] z = Noise.gaussian(seed, count, model.generator().noiseDim());
            float[] out = batcher.generate(model, z, count);
            ImageShape shape = model.generator().shape();
            List<CanonicalImage> generated = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                generated.add(ModelPixels.fromModelOutput(out, i * shape.values(), shape));
            }
            images.increment(count);
            Response response = Response.of(200, format.contentType(), format.encode(generated))
                    .withHeader(MODEL_VERSION_HEADER, Long.toString(model.version()))
                    .withHeader(SEED_HEADER, Long.toString(seed));
            if (format == ImageFormat.ZIP || format == ImageFormat.NPY) {
                response = response.withHeader("Content-Disposition", "attachment; filename=\"generated-v" + model.version()
                        + "-seed" + seed + "." + format.extension() + "\"");
            }
            return response;
        }
    }

    private Response models(Request request) {
        BearerAuth.require(request, List.of(settings.apiKey(), settings.adminKey()), "Listing models", "--api-key");
        List<ModelInfo> rows = registry.models();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("live", boxed(registry.liveVersion()));
        body.put("pinned", boxed(registry.pinnedVersion()));
        body.put("models", rows);
        return Response.json(200, body);
    }

    private Response activateLatest(Request request) {
        BearerAuth.require(request, List.of(settings.adminKey()), "Activating models", "--admin-key");
        Optional<ModelInfo> live = registry.unpin();
        return activation(live.orElse(null));
    }

    private Response activate(Request request) {
        BearerAuth.require(request, List.of(settings.adminKey()), "Activating models", "--admin-key");
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

    private Response activation(ModelInfo live) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("live", boxed(registry.liveVersion()));
        body.put("pinned", boxed(registry.pinnedVersion()));
        body.put("model", live);
        return Response.json(200, body);
    }

    private Response gallery(Request request) {
        String html = """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>GAN generator</title>
                <style>body{font-family:sans-serif;background:#111;color:#eee;text-align:center}
                img{image-rendering:pixelated;width:min(90vw,720px)}a{color:#8cf}</style></head>
                <body><h1>Generated samples</h1>
                <p><img id="grid" alt="A grid of generated images"></p>
                <p><a href="#" onclick="load();return false">New seed</a> &middot; <a href="/v1/models">models</a>
                &middot; <a href="/metrics">metrics</a></p><p id="info"></p>
                <script>
                async function load(){const r=await fetch('/v1/generate?count=64');const i=document.getElementById('info');
                if(!r.ok){i.textContent=(await r.json()).message;return;}
                document.getElementById('grid').src=URL.createObjectURL(await r.blob());
                i.textContent='model v'+r.headers.get('X-Model-Version')+', seed '+r.headers.get('X-Seed');}
                load();
                </script></body></html>
                """;
        return Response.of(200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    private static Long boxed(OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : null;
    }
}
