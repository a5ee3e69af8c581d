package dev.ganpipe.common.kafka;

import dev.ganpipe.client.RecordNames;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Record header names of DESIGN.md and helpers to read and write them as UTF-8 text. The names are the client jar's
 * ({@link RecordNames}), so consumers built on it read what the services write.
 */
public final class GanHeaders {

    public static final String LABEL = RecordNames.LABEL;
    /** A synthetic image's classifier confidence for its label, 0 to 1 (models that ship their classifier). */
    public static final String LABEL_CONFIDENCE = RecordNames.LABEL_CONFIDENCE;
    public static final String ERROR_REASON = RecordNames.ERROR_REASON;
    public static final String ERROR_DETAIL = RecordNames.ERROR_DETAIL;
    public static final String SOURCE_TOPIC = RecordNames.SOURCE_TOPIC;
    public static final String SOURCE_PARTITION = RecordNames.SOURCE_PARTITION;
    public static final String SOURCE_OFFSET = RecordNames.SOURCE_OFFSET;
    public static final String MODEL_NAME = RecordNames.MODEL_NAME;
    public static final String MODEL_VERSION = RecordNames.MODEL_VERSION;
    public static final String MODEL_SHA256 = RecordNames.MODEL_SHA256;
    /** Base64 Ed25519 signature of the manifest by the trainer's key ({@code common.model.ModelSignature}). */
    public static final String MODEL_SIGNATURE = RecordNames.MODEL_SIGNATURE;
    public static final String MODEL_STEP = RecordNames.MODEL_STEP;
    public static final String MODEL_METRICS = RecordNames.MODEL_METRICS;
    public static final String SEED = RecordNames.SEED;
    public static final String INDEX = RecordNames.INDEX;
    /** Width, height and channels of a canonical image, e.g. {@code 28x28x1}. */
    public static final String IMAGE_SHAPE = RecordNames.IMAGE_SHAPE;
    /** The data's class names in label order, comma-separated, on labelled training images. */
    public static final String CLASSES = RecordNames.CLASSES;
    public static final String CONTENT_TYPE = RecordNames.CONTENT_TYPE;

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
