package dev.ganpipe.common.model;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ganpipe.common.Json;
import dev.ganpipe.common.kafka.GanHeaders;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;

/** Writes a manifest into the models topic's record headers and reads it back (DESIGN.md, models.generator). */
public final class ModelHeaders {

    public static final String ONNX_CONTENT_TYPE = "application/onnx";
    private static final String CREATED = "gan.model.created";
    private static final String NOISE_DIM = "gan.model.noise.dim";

    private ModelHeaders() {
    }

    /** Adds the manifest's headers. */
    public static void write(ModelManifest m, Headers headers) {
        GanHeaders.set(headers, GanHeaders.MODEL_VERSION, Long.toString(m.version()));
        GanHeaders.set(headers, GanHeaders.MODEL_SHA256, m.sha256());
        GanHeaders.set(headers, GanHeaders.MODEL_STEP, Long.toString(m.step()));
        GanHeaders.set(headers, GanHeaders.MODEL_METRICS, Json.string(m.metrics()));
        GanHeaders.set(headers, GanHeaders.IMAGE_SHAPE, m.imageShape());
        GanHeaders.set(headers, CREATED, m.createdAt().toString());
        GanHeaders.set(headers, NOISE_DIM, Integer.toString(m.noiseDim()));
    }

    /** Adds the trainer's signature of the manifest ({@link ModelSignature}). */
    public static void writeSignature(String signature, Headers headers) {
        GanHeaders.set(headers, GanHeaders.MODEL_SIGNATURE, signature);
    }

    /** The record's signature, if it carries one. */
    public static Optional<String> readSignature(Headers headers) {
        return GanHeaders.text(headers, GanHeaders.MODEL_SIGNATURE);
    }

    /**
     * Reads a manifest from a models-topic record.
     *
     * @throws IllegalArgumentException naming the header that is missing or malformed
     */
    public static ModelManifest read(String key, Headers headers) {
        long version = GanHeaders.number(headers, GanHeaders.MODEL_VERSION).orElseThrow(() -> missing(GanHeaders.MODEL_VERSION));
        String sha = GanHeaders.text(headers, GanHeaders.MODEL_SHA256).orElseThrow(() -> missing(GanHeaders.MODEL_SHA256));
        long step = GanHeaders.number(headers, GanHeaders.MODEL_STEP).orElse(0L);
        String shape = GanHeaders.text(headers, GanHeaders.IMAGE_SHAPE).orElseThrow(() -> missing(GanHeaders.IMAGE_SHAPE));
        Instant created = GanHeaders.text(headers, CREATED).map(ModelHeaders::instant).orElse(Instant.EPOCH);
        int noiseDim = GanHeaders.number(headers, NOISE_DIM).map(Long::intValue).orElse(100);
        Map<String, Double> metrics = GanHeaders.text(headers, GanHeaders.MODEL_METRICS).map(ModelHeaders::metrics).orElse(Map.of());
        return new ModelManifest(key, version, sha, step, created, shape, noiseDim, metrics);
    }

    private static Map<String, Double> metrics(String json) {
        try {
            return Json.mapper().readValue(json, new TypeReference<Map<String, Double>>() { });
        } catch (IOException e) {
            throw new IllegalArgumentException("Header " + GanHeaders.MODEL_METRICS + " must be a JSON object of numbers.", e);
        }
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            // Readers catch IllegalArgumentException for a malformed record; a bad date is one like any other.
            throw new IllegalArgumentException("Header " + CREATED + " must be an ISO-8601 instant, e.g. 2025-01-01T00:00:00Z, but was '"
                    + text + "'.", e);
        }
    }

    private static IllegalArgumentException missing(String header) {
        return new IllegalArgumentException("The model record has no " + header + " header; it was not published by the trainer.");
    }
}
