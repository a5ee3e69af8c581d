package dev.ganpipe.client;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a {@code synthetic.images} record value and its headers into a {@link SyntheticImage}. Pair it with a
 * {@code StringDeserializer} for the key, the request id (or {@code stream-<n>} in continuous mode).
 *
 * <p>A record without the generator's headers is no synthetic image and fails with a {@link SerializationException}
 * saying which header is missing; the consumer then stops at that offset, as Kafka's deserializers do.
 */
public final class SyntheticImageDeserializer implements Deserializer<SyntheticImage> {

    @Override
    public SyntheticImage deserialize(String topic, byte[] data) {
        throw new SerializationException("A synthetic image is described by its record headers; consume topic " + topic
                + " with a consumer that passes them (every KafkaConsumer does).");
    }

    @Override
    public SyntheticImage deserialize(String topic, Headers headers, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            String type = required(headers, RecordNames.CE_TYPE);
            if (!type.equals(RecordNames.TYPE_SYNTHETIC_IMAGE)) {
                throw new SerializationException("A record on " + topic + " has CloudEvents type '" + type + "', not "
                        + RecordNames.TYPE_SYNTHETIC_IMAGE + "; read only the generator's synthetic.images topic with this deserializer.");
            }
            OptionalLong label = text(headers, RecordNames.LABEL).map(value -> OptionalLong.of(whole(RecordNames.LABEL, value)))
                    .orElseGet(OptionalLong::empty);
            return new SyntheticImage(data, whole(RecordNames.MODEL_VERSION, required(headers, RecordNames.MODEL_VERSION)),
                    whole(RecordNames.SEED, required(headers, RecordNames.SEED)),
                    Math.toIntExact(whole(RecordNames.INDEX, required(headers, RecordNames.INDEX))), label,
                    ImageShape.parse(required(headers, RecordNames.IMAGE_SHAPE)), required(headers, RecordNames.CE_ID),
                    required(headers, RecordNames.CE_TIME), confidence(headers), text(headers, RecordNames.MODEL_NAME));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new SerializationException("A record on " + topic + " has a malformed synthetic-image header: " + e.getMessage(), e);
        }
    }

    private static String required(Headers headers, String name) {
        return text(headers, name).orElseThrow(() -> new SerializationException("The record has no " + name
                + " header, so it was not written by the generator service; read only synthetic.images with this deserializer."));
    }

    private static Optional<String> text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? Optional.empty() : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    private static OptionalDouble confidence(Headers headers) {
        Optional<String> text = text(headers, RecordNames.LABEL_CONFIDENCE);
        if (text.isEmpty()) {
            return OptionalDouble.empty();
        }
        double value;
        try {
            value = Double.parseDouble(text.get().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("header " + RecordNames.LABEL_CONFIDENCE + " must be a number but was '" + text.get() + "'.", e);
        }
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException("header " + RecordNames.LABEL_CONFIDENCE + " must be from 0 to 1 but was " + value + ".");
        }
        return OptionalDouble.of(value);
    }

    private static long whole(String name, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("header " + name + " must be a whole number but was '" + value + "'.", e);
        }
    }
}
