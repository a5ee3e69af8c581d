package dev.ganpipe.ingest.http;

import dev.ganpipe.common.http.BearerAuth;
import dev.ganpipe.common.http.HttpError;
import dev.ganpipe.common.http.Request;
import dev.ganpipe.common.http.Response;
import dev.ganpipe.common.http.Routes;
import dev.ganpipe.images.normalize.ImageNormalizer;
import dev.ganpipe.images.normalize.InputImageFormat;
import dev.ganpipe.images.normalize.NormalizerSettings;
import dev.ganpipe.images.normalize.Outcome;
import dev.ganpipe.ingest.publish.RawImage;
import dev.ganpipe.ingest.publish.RawSink;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * The ingest routing table. {@code POST /v1/images} takes either one image as the raw body
 * ({@code Content-Type: image/png}, {@code image/jpeg}, {@code image/gif}, {@code image/bmp}, {@code image/webp} when
 * decodable) or several as {@code multipart/form-data}, each part one image; a {@code label} field labels the image
 * parts after it, and {@code ?label=} (class index or name) those with no such field. Every image goes onto
 * {@code images.raw} under a fresh UUID key, and the answer, {@code 202 {"ids":[...]}} in upload order, comes once the
 * broker acknowledged them all. The images themselves are judged later by the normaliser; only what can be checked
 * without decoding is checked here, and a request with any bad part stores none of its images. The images of one
 * request are stored all or none (one Kafka transaction for a multipart upload). With
 * {@code --api-key} set, an upload must carry {@code Authorization: Bearer <key>} (401 without, 403 with another).
 */
public final class IngestRoutes {

    /** The form field that labels the image parts after it. */
    static final String LABEL_FIELD = "label";

    private IngestRoutes() {
    }

    /**
     * Builds the routes.
     *
     * @param sink where uploads go
     * @param policy size, part, label, concurrency and timeout limits
     * @param registry served at {@code /metrics}
     * @param ready backs {@code /readyz}
     */
    public static Routes routes(RawSink sink, UploadPolicy policy, PrometheusMeterRegistry registry, BooleanSupplier ready) {
        return routes(sink, policy, registry, ready, new UploadHealth(Clock.systemUTC()), new ImageNormalizer(NormalizerSettings.defaults()));
    }

    /**
     * Builds the routes, telling {@code health} whether each upload was stored (for {@code ready} to report).
     *
     * @param sink where uploads go
     * @param policy size, part, label, concurrency and timeout limits
     * @param registry served at {@code /metrics}
     * @param ready backs {@code /readyz}
     * @param health learns of every upload the broker stored or did not
     * @param normalizer the normaliser's limits, whose header checks (declared width and height) an upload passes before its 202
     */
    public static Routes routes(RawSink sink, UploadPolicy policy, PrometheusMeterRegistry registry, BooleanSupplier ready,
            UploadHealth health, ImageNormalizer normalizer) {
        Semaphore slots = new Semaphore(policy.maxConcurrent());
        UploadMemory memory = new UploadMemory(policy.memoryBytes());
        return new Routes()
                .post("/v1/images", request -> upload(request, sink, policy, slots, memory, health, normalizer))
                .standard(registry, ready, "The ingest normaliser (Kafka Streams) is not running yet; it waits for the broker and its partitions.")
                .openApi(IngestRoutes.class);
    }

    /**
     * Reads the body first, charging it to the upload memory as it arrives, and only then takes an upload slot: a slot
     * held while a client dribbles (or sends nothing) would let forty idle connections lock every real upload out.
     */
    private static Response upload(Request request, RawSink sink, UploadPolicy policy, Semaphore slots, UploadMemory memory,
            UploadHealth health, ImageNormalizer normalizer) throws InterruptedException {
        BearerAuth.require(request, List.of(policy.apiKey()), "Uploading images", "--api-key");
        String header = request.header("Content-Type").orElseThrow(() -> unsupported("The request has no Content-Type"));
        refuseContentEncoding(request);
        boolean multipart = Multipart.isMultipart(header);
        Optional<String> boundary = multipart ? Optional.of(Multipart.boundary(header)) : Optional.empty();
        Optional<InputImageFormat> rawFormat = multipart ? Optional.empty() : Optional.of(rawFormat(header));
        Optional<String> queryLabel = request.query(LABEL_FIELD).map(text -> label(text, policy, "The label"));
        try (UploadMemory.Lease lease = memory.lease()) {
            List<RawImage> images = boundary.isPresent()
                    ? multipartImages(request.body(policy.maxUploadBytes(), lease), boundary.get(), queryLabel, policy)
                    : List.of(rawImage(request.body(policy.maxBytes(), lease), rawFormat.orElseThrow(), queryLabel));
            checkDeclared(images, normalizer);
            if (!slots.tryAcquire()) {
                return Response.error(503, "busy", "Too many uploads are in flight (limit " + policy.maxConcurrent()
                        + "); retry in a moment.").withHeader("Retry-After", "1");
            }
            try {
                return store(images, sink, policy, health);
            } finally {
                slots.release();
            }
        }
    }

    /**
     * An image whose header already says the normaliser will refuse it (more than {@code --max-pixels}, sides under
     * {@code --min-side}, a header no decoder reads) is answered 422 with the normaliser's reason and sentence, rather than
     * accepted with a 202 and dead-lettered: the header is read, never a pixel.
     */
    private static void checkDeclared(List<RawImage> images, ImageNormalizer normalizer) {
        for (int i = 0; i < images.size(); i++) {
            Optional<Outcome.Rejected> refused = normalizer.checkDeclared(images.get(i).bytes());
            if (refused.isPresent()) {
                String which = images.size() == 1 ? "" : "Image " + (i + 1) + " of " + images.size() + ": ";
                throw new HttpError(422, refused.get().reason().code(), which + refused.get().detail() + " Nothing of this upload was stored.");
            }
        }
    }

    private static RawImage rawImage(byte[] body, InputImageFormat declared, Optional<String> label) {
        if (body.length == 0) {
            throw new HttpError(400, "empty", "The request body is empty; send the image bytes as the body.");
        }
        InputImageFormat format = sniffed(body, "The body (Content-Type '" + declared.mediaType() + "')");
        return new RawImage(UUID.randomUUID().toString(), body, label, format.mediaType());
    }

    /**
     * The format the bytes themselves are in, which the normaliser goes by too: bytes of no format it decodes (one byte,
     * an HTML page, a gzipped file) would be accepted only to be dead-lettered, so they are refused before the 202.
     */
    private static InputImageFormat sniffed(byte[] bytes, String what) {
        Optional<InputImageFormat> format = InputImageFormat.sniff(bytes);
        if (format.isEmpty() || !format.get().decodable()) {
            throw unsupported(what + " starts with the bytes of " + format.map(f -> "a " + f.name() + " file, a format this service does "
                    + "not decode").orElse("no image format at all"));
        }
        return format.get();
    }

    /**
     * A coded body (gzip, say) is refused rather than stored coded, where the normaliser could only dead-letter it; images
     * are compressed already, so there is nothing to gain from decoding it here (RFC 9110 15.5.16: 415 for a coding).
     */
    private static void refuseContentEncoding(Request request) {
        Optional<String> coding = request.header("Content-Encoding").map(String::trim).filter(c -> !c.isEmpty() && !c.equalsIgnoreCase("identity"));
        if (coding.isPresent()) {
            String shown = coding.get().length() <= 40 ? coding.get() : coding.get().substring(0, 40) + "...";
            throw new HttpError(415, "unsupported_encoding", "Content-Encoding '" + shown + "' is not accepted; send the image bytes "
                    + "as they are, without Content-Encoding (PNG and JPEG are compressed already).");
        }
    }

    /** Every image part as a record, after checking them all: one bad part refuses the whole request. */
    private static List<RawImage> multipartImages(byte[] body, String boundary, Optional<String> queryLabel, UploadPolicy policy) {
        List<Multipart.Part> parts = Multipart.parse(body, boundary, policy.maxParts(), policy.maxBytes());
        List<RawImage> images = new ArrayList<>();
        Optional<String> label = queryLabel;
        for (Multipart.Part part : parts) {
            if (part.name().equals(LABEL_FIELD) && part.fileName().isEmpty()) {
                String text = new String(part.body(), StandardCharsets.UTF_8).trim();
                label = text.isEmpty() ? queryLabel : Optional.of(label(text, policy, "The label field before part " + (images.size() + 1)));
                continue;
            }
            if (part.body().length == 0) {
                throw new HttpError(400, "empty", "The part " + part.describe() + " is empty; every part other than a label field must be "
                        + "one image.");
            }
            images.add(new RawImage(UUID.randomUUID().toString(), part.body(), label, partFormat(part).mediaType()));
        }
        if (images.isEmpty()) {
            throw new HttpError(400, "empty", "The multipart body holds no image; send each image as a file part, e.g. curl -F file=@a.png.");
        }
        return images;
    }

    /**
     * Sends the images as one unit and waits for the broker within the send timeout: 202 with the ids when all are
     * stored; otherwise none is. A record the broker can never take (too large for the topic) is a 413, not a "retry".
     */
    private static Response store(List<RawImage> images, RawSink sink, UploadPolicy policy, UploadHealth health) throws InterruptedException {
        List<String> ids = images.stream().map(RawImage::key).toList();
        String what = images.size() == 1 ? "The upload" : "None of the " + images.size() + " images of the upload";
        try {
            sink.sendAll(images).get(policy.sendTimeout().toNanos(), TimeUnit.NANOSECONDS);
            health.stored();
            return Response.json(202, Map.of("ids", ids));
        } catch (TimeoutException e) {
            health.refused("not acknowledged within " + policy.sendTimeout().toSeconds() + " s");
            return Response.error(503, "not_acknowledged", "The broker did not acknowledge the upload within " + policy.sendTimeout().toSeconds()
                    + " s, so it may not be stored; retry later.").withHeader("Retry-After", "5");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RecordTooLargeException || e.getCause() instanceof RecordBatchTooLargeException) {
                return Response.error(413, "too_large", what + " was stored: the broker refused it as too large for its topic ("
                        + e.getCause().getMessage() + "). The topic's max.message.bytes must exceed --max-bytes; ask the operator, or "
                        + "send smaller images.");
            }
            health.refused(e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage());
            return Response.error(503, "not_stored", what + " was stored: the broker refused it (" + e.getCause().getMessage()
                    + "); retry later.").withHeader("Retry-After", "5");
        }
    }

    private static InputImageFormat rawFormat(String header) {
        Optional<InputImageFormat> format = InputImageFormat.forMediaType(header);
        if (format.isEmpty() || !format.get().decodable()) {
            throw unsupported("Content-Type '" + header + "' is not an image type this service decodes");
        }
        return format.get();
    }

    /**
     * A part's format: its declared image type, or, when it declares none or only {@code application/octet-stream}
     * (as clients do for unknown file extensions), what its bytes start with.
     */
    private static InputImageFormat partFormat(Multipart.Part part) {
        String declared = part.contentType().orElse("application/octet-stream");
        Optional<InputImageFormat> format = declared.toLowerCase(Locale.ROOT).startsWith("application/octet-stream")
                ? InputImageFormat.sniff(part.body())
                : InputImageFormat.forMediaType(declared);
        if (format.isEmpty() || !format.get().decodable()) {
            throw unsupported("The part " + part.describe() + " (Content-Type '" + declared + "') is not an image type this service decodes");
        }
        return sniffed(part.body(), "The part " + part.describe() + " (Content-Type '" + declared + "')");
    }

    private static HttpError unsupported(String what) {
        return new HttpError(415, "unsupported_type", what + "; send PNG, JPEG, GIF or BMP images, as the raw body with their "
                + "Content-Type or as multipart/form-data file parts.");
    }

    private static String label(String raw, UploadPolicy policy, String what) {
        OptionalInt index = policy.classes().resolve(raw);
        if (index.isEmpty()) {
            String shown = raw.length() <= 40 ? raw : raw.substring(0, 40) + "...";
            throw new HttpError(400, "bad_label", what + " '" + shown + "' is not " + policy.classes().describe() + ".");
        }
        return Integer.toString(index.getAsInt());
    }
}
