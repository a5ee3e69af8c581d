package dev.ganpipe.ingest.http;

import dev.ganpipe.common.http.HttpError;
import dev.ganpipe.common.http.Request;
import dev.ganpipe.common.http.Response;
import dev.ganpipe.common.http.Routes;
import dev.ganpipe.ingest.normalize.ImageFormat;
import dev.ganpipe.ingest.publish.RawImage;
import dev.ganpipe.ingest.publish.RawSink;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * The ingest routing table. {@code POST /v1/images} takes one image as the raw body ({@code Content-Type: image/png},
 * {@code image/jpeg}, {@code image/gif}, {@code image/bmp}, {@code image/webp} when decodable) with an optional
 * {@code ?label=} (class index or name), puts it on {@code images.raw} under a fresh UUID key and answers
 * {@code 202 {"ids":["<uuid>"]}} once the broker acknowledged it. The image itself is judged later by the
 * normaliser; only what can be checked without decoding is checked here.
 */
public final class IngestRoutes {

    private IngestRoutes() {
    }

    /**
     * Builds the routes.
     *
     * @param sink where uploads go
     * @param policy size, label, concurrency and timeout limits
     * @param registry served at {@code /metrics}
     * @param ready backs {@code /readyz}
     */
    public static Routes routes(RawSink sink, UploadPolicy policy, PrometheusMeterRegistry registry, BooleanSupplier ready) {
        Semaphore slots = new Semaphore(policy.maxConcurrent());
        return new Routes()
                .post("/v1/images", request -> upload(request, sink, policy, slots))
                .standard(registry, ready, "The ingest normaliser (Kafka Streams) is not running yet; it waits for the broker and its partitions.");
    }

    private static Response upload(Request request, RawSink sink, UploadPolicy policy, Semaphore slots) throws IOException, InterruptedException {
        ImageFormat format = contentType(request);
        Optional<String> label = label(request, policy);
        if (!slots.tryAcquire()) {
            return Response.error(503, "busy", "Too many uploads are in flight (limit " + policy.maxConcurrent()
                    + "); retry in a moment.").withHeader("Retry-After", "1");
        }
        try {
            byte[] body = request.body(policy.maxBytes());
            if (body.length == 0) {
                throw new HttpError(400, "empty", "The request body is empty; send the image bytes as the body.");
            }
            String id = UUID.randomUUID().toString();
            try {
                sink.send(new RawImage(id, body, label, format.mediaType())).get(policy.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new HttpError(503, "not_acknowledged", "The broker did not acknowledge the image within "
                        + policy.sendTimeout().toSeconds() + " s, so it may not be stored; retry later.");
            } catch (ExecutionException e) {
                throw new HttpError(503, "not_stored", "The broker refused the image (" + e.getCause().getMessage() + "); retry later.");
            }
            return Response.json(202, Map.of("ids", List.of(id)));
        } finally {
            slots.release();
        }
    }

    private static ImageFormat contentType(Request request) {
        String header = request.header("Content-Type").orElseThrow(() -> unsupported("The request has no Content-Type"));
        Optional<ImageFormat> format = ImageFormat.forMediaType(header);
        if (format.isEmpty() || !format.get().decodable()) {
            throw unsupported("Content-Type '" + header + "' is not an image type this service decodes");
        }
        return format.get();
    }

    private static HttpError unsupported(String what) {
        return new HttpError(415, "unsupported_type", what + "; send the raw image with Content-Type image/png, image/jpeg, "
                + "image/gif or image/bmp.");
    }

    private static Optional<String> label(Request request, UploadPolicy policy) {
        Optional<String> raw = request.query("label");
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        OptionalInt index = policy.classes().resolve(raw.get());
        if (index.isEmpty()) {
            String shown = raw.get().length() <= 40 ? raw.get() : raw.get().substring(0, 40) + "...";
            throw new HttpError(400, "bad_label", "The label '" + shown + "' is not " + policy.classes().describe() + ".");
        }
        return Optional.of(Integer.toString(index.getAsInt()));
    }
}
