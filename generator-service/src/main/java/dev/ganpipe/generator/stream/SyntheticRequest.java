package dev.ganpipe.generator.stream;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.ganpipe.common.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One {@code synthetic.requests} value: {@code {"count":64,"seed":7,"label":3,"min_confidence":0.9,"model":"fashion-dcgan28"}}
 * with {@code seed}, {@code label}, {@code min_confidence} and {@code model} optional (DESIGN.md, "Topics").
 *
 * @param count how many images, 1 to the service's {@code --max-count}
 * @param seed the noise seed; without one the service derives it from the record's position (see {@link #seedFor})
 * @param label the class for a conditional model
 * @param minConfidence serve only images whose shipped classifier's confidence for their label is at least this
 * @param model the model name to answer from; empty: the service's default model
 */
record SyntheticRequest(int count, OptionalLong seed, OptionalLong label, OptionalDouble minConfidence, Optional<String> model) {

    /** Requests are a few dozen bytes; anything far larger is not one, and is not worth parsing. */
    static final int MAX_BYTES = 4096;
    private static final Set<String> FIELDS = Set.of("count", "seed", "label", "min_confidence", "model");
    // Model names are topic keys such as fashion-dcgan28; a longer one is no model name.
    private static final int MAX_MODEL_CHARS = 200;
    private static final ObjectReader READER = Json.mapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    // Derived seeds stay below 2^53 like the HTTP API's random ones, so JavaScript clients can send them back exactly.
    private static final long SEED_MASK = (1L << 53) - 1;
    private static final String EXAMPLE = "{\"count\":64,\"seed\":7}";

    /**
     * Parses and validates a request value.
     *
     * @param maxCount the most images one request may ask for
     * @throws RequestRejectedException saying what is wrong and how to write it
     */
    static SyntheticRequest parse(byte[] value, int maxCount) throws RequestRejectedException {
        if (value == null || value.length == 0) {
            throw new RequestRejectedException(RequestRejectReason.MALFORMED_REQUEST,
                    "The request has no value; send a JSON object such as " + EXAMPLE + ".");
        }
        if (value.length > MAX_BYTES) {
            throw new RequestRejectedException(RequestRejectReason.MALFORMED_REQUEST, "The request is " + value.length + " bytes, more than the "
                    + MAX_BYTES + " a request may have; send a JSON object such as " + EXAMPLE + ".");
        }
        JsonNode root;
        try {
            root = READER.readTree(value);
        } catch (IOException e) {
            throw new RequestRejectedException(RequestRejectReason.MALFORMED_REQUEST, "The request is not valid JSON (" + firstLine(e.getMessage())
                    + "); send a JSON object such as " + EXAMPLE + ".");
        }
        if (root == null || !root.isObject()) {
            throw new RequestRejectedException(RequestRejectReason.MALFORMED_REQUEST, "The request must be a JSON object such as " + EXAMPLE
                    + ", but was " + (root == null ? "empty" : "a JSON " + root.getNodeType().name().toLowerCase(Locale.ROOT)) + ".");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new RequestRejectedException(RequestRejectReason.MALFORMED_REQUEST, "The request has an unknown field '" + abbreviate(name)
                        + "'; a request has 'count' and optionally 'seed', 'label', 'min_confidence' and 'model', e.g. " + EXAMPLE + ".");
            }
        }
        JsonNode count = root.get("count");
        if (count == null || count.isNull()) {
            throw new RequestRejectedException(RequestRejectReason.BAD_COUNT,
                    "The request has no 'count'; say how many images, 1 to " + maxCount + ", e.g. " + EXAMPLE + ".");
        }
        if (!count.isIntegralNumber() || !count.canConvertToLong() || count.asLong() < 1 || count.asLong() > maxCount) {
            throw new RequestRejectedException(RequestRejectReason.BAD_COUNT, "'count' must be a whole number from 1 to " + maxCount
                    + " (the service's --max-count), but was " + abbreviate(count.toString()) + ".");
        }
        OptionalLong seed = OptionalLong.empty();
        JsonNode seedNode = root.get("seed");
        if (seedNode != null && !seedNode.isNull()) {
            if (!seedNode.isIntegralNumber() || !seedNode.canConvertToLong()) {
                throw new RequestRejectedException(RequestRejectReason.MALFORMED_REQUEST, "'seed' must be a whole number that fits in"
                        + " 64 bits, but was " + abbreviate(seedNode.toString()) + "; leave it out for a seed derived from the record.");
            }
            seed = OptionalLong.of(seedNode.asLong());
        }
        OptionalLong label = OptionalLong.empty();
        JsonNode labelNode = root.get("label");
        if (labelNode != null && !labelNode.isNull()) {
            if (!labelNode.isIntegralNumber() || !labelNode.canConvertToLong() || labelNode.asLong() < 0) {
                throw new RequestRejectedException(RequestRejectReason.BAD_LABEL, "'label' must be a class number, 0 or more, but was "
                        + abbreviate(labelNode.toString()) + ".");
            }
            label = OptionalLong.of(labelNode.asLong());
        }
        OptionalDouble minConfidence = OptionalDouble.empty();
        JsonNode confidenceNode = root.get("min_confidence");
        if (confidenceNode != null && !confidenceNode.isNull()) {
            if (!confidenceNode.isNumber() || !(confidenceNode.asDouble() >= 0 && confidenceNode.asDouble() < 1)) {
                throw new RequestRejectedException(RequestRejectReason.MALFORMED_REQUEST, "'min_confidence' must be a number from 0 to below 1"
                        + " (the classifier's probability of the label), but was " + abbreviate(confidenceNode.toString()) + ".");
            }
            minConfidence = OptionalDouble.of(confidenceNode.asDouble());
        }
        Optional<String> model = Optional.empty();
        JsonNode modelNode = root.get("model");
        if (modelNode != null && !modelNode.isNull()) {
            if (!modelNode.isTextual() || modelNode.asText().isBlank() || modelNode.asText().length() > MAX_MODEL_CHARS) {
                throw new RequestRejectedException(RequestRejectReason.UNKNOWN_MODEL, "'model' must be the name of a model this service "
                        + "serves (GET /v1/models lists them), e.g. \"fashion-dcgan28\", but was " + abbreviate(modelNode.toString()) + ".");
            }
            model = Optional.of(modelNode.asText().strip());
        }
        return new SyntheticRequest((int) count.asLong(), seed, label, minConfidence, model);
    }

    /**
     * The seed of a request that gives none: derived from the record's position, so a replay after a failure (which
     * exactly-once processing may do) gives the same images, and two requests never share a derived seed.
     */
    static long seedFor(String topic, int partition, long offset) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((topic + "-" + partition + "@" + offset).getBytes(StandardCharsets.UTF_8));
            long seed = 0;
            for (int i = 0; i < Long.BYTES; i++) {
                seed = (seed << 8) | (digest[i] & 0xff);
            }
            return seed & SEED_MASK;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK provides SHA-256; this JVM is broken.", e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int end = message.indexOf('\n');
        return abbreviate(end < 0 ? message : message.substring(0, end));
    }

    private static String abbreviate(String text) {
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }
}
