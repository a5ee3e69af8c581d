package dev.ganpipe.common.kafka;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Record header names of DESIGN.md and helpers to read and write them as UTF-8 text. */
public final class GanHeaders {

    public static final String LABEL = "gan.label";
    public static final String ERROR_REASON = "gan.error.reason";
    public static final String ERROR_DETAIL = "gan.error.detail";
    public static final String SOURCE_TOPIC = "gan.source.topic";
    public static final String SOURCE_PARTITION = "gan.source.partition";
    public static final String SOURCE_OFFSET = "gan.source.offset";
    public static final String MODEL_VERSION = "gan.model.version";
    public static final String MODEL_SHA256 = "gan.model.sha256";
    /** Base64 Ed25519 signature of the manifest by the trainer's key ({@code common.model.ModelSignature}). */
    public static final String MODEL_SIGNATURE = "gan.model.signature";
    public static final String MODEL_STEP = "gan.model.step";
    public static final String MODEL_METRICS = "gan.model.metrics";
    public static final String SEED = "gan.seed";
    public static final String INDEX = "gan.index";
    /** Width, height and channels of a canonical image, e.g. {@code 28x28x1}. */
    public static final String IMAGE_SHAPE = "gan.image.shape";
    public static final String CONTENT_TYPE = "content-type";

    private GanHeaders() {
    }

    /** Adds (appends) a text header. */
    public static void put(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Replaces every header of that name with one holding {@code value}. */
    public static void set(Headers headers, String name, String value) {
        headers.remove(name);
        put(headers, name, value);
    }

    /** The last header of that name as text, if any. */
    public static Optional<String> text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        if (header == null || header.value() == null) {
            return Optional.empty();
        }
        return Optional.of(StandardCharsets.UTF_8.decode(ByteBuffer.wrap(header.value())).toString());
    }

    /**
     * The last header of that name as a long, if present.
     *
     * @throws IllegalArgumentException when the header is present but not a number
     */
    public static Optional<Long> number(Headers headers, String name) {
        Optional<String> value = text(headers, name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(value.get().trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Header " + name + " must be an integer but was '" + value.get() + "'.", e);
        }
    }

    /**
     * The last header of that name as a whole number, if present: a class index, a model version.
     *
     * @throws IllegalArgumentException when the header is present but not a number
     */
    public static OptionalLong whole(Headers headers, String name) {
        return number(headers, name).map(OptionalLong::of).orElseGet(OptionalLong::empty);
    }
}
