package dev.ganpipe.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * The one JSON mapper the project uses (thread-safe once configured). It refuses an object that names a field twice:
 * Jackson would otherwise keep the last value, so {@code {"count":2,"count":1024}} would pass a check that read the
 * first and act on the second.
 */
public final class Json {

    private static final ObjectMapper MAPPER = strict(JsonMapper.builder()).disable(SerializationFeature.FAIL_ON_EMPTY_BEANS).build();

    private Json() {
    }

    /** A mapper builder with the reading rules every JSON input of the project follows (no duplicate fields). */
    public static JsonMapper.Builder strict(JsonMapper.Builder builder) {
        return builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }

    /** The shared mapper; do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Serialises a value; our own values always serialise, so a failure is a bug. */
    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not serialise " + value.getClass().getName() + " to JSON.", e);
        }
    }

    /** Serialises a value to a string. */
    public static String string(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not serialise " + value.getClass().getName() + " to JSON.", e);
        }
    }

    /** Parses JSON into a type. */
    public static <T> T parse(byte[] json, Class<T> type) throws IOException {
        return MAPPER.readValue(json, type);
    }
}
