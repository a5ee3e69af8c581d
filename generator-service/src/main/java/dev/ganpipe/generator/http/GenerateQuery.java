package dev.ganpipe.generator.http;

import dev.ganpipe.common.http.HttpError;
import dev.ganpipe.common.http.Request;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The query of {@code GET /v1/generate}, parsed and checked before any model is touched: {@code format},
 * {@code count}, {@code seed}, {@code label}, {@code columns}, {@code min_confidence}, {@code model} and {@code version}.
 *
 * @param format the response format
 * @param count images to generate, 1 to the service's {@code --max-count} (exactly 1 for {@code format=png})
 * @param seed the noise seed (a random one below 2^53 when the query gives none)
 * @param label the class for a conditional model as given: an index, 0 or more, or a class name (resolved against the
 *     model by {@link dev.ganpipe.generator.images.Generation#labelIndex})
 * @param columns grid columns, 1 to {@code count}, only with {@code format=grid}
 * @param minConfidence serve only images whose shipped classifier's confidence for their label is at least this, 0 to
 *     below 1
 * @param model the model name; empty: the default model
 * @param version a loaded version of that model; empty: its live version
 */
record GenerateQuery(ResponseFormat format, int count, long seed, Optional<String> label, OptionalInt columns, OptionalDouble minConfidence,
        Optional<String> model, OptionalLong version) {

    // A class name longer than this is no class name; it is refused before any model is touched.
    private static final int MAX_LABEL_CHARS = 200;
    // Model names are topic keys such as fashion-dcgan28; a longer one is no model name.
    private static final int MAX_MODEL_CHARS = 200;

    /**
     * Parses the query of a request.
     *
     * @param maxCount the most images one request may ask for
     * @throws HttpError 400 {@code bad_parameter} saying which parameter is wrong and what it may be
     */
    static GenerateQuery parse(Request request, int maxCount) {
        ResponseFormat format = ResponseFormat.parse(request.query("format").orElse(ResponseFormat.GRID.parameter()));
        int defaultCount = format == ResponseFormat.PNG ? 1 : Math.min(ApiSettings.DEFAULT_COUNT, maxCount);
        int count = request.intParam("count", defaultCount, 1, maxCount);
        if (format == ResponseFormat.PNG && count != 1) {
            throw HttpError.badRequest("format=png returns one image, but count was " + count + "; use format=grid or format=zip for more.");
        }
        long seed = request.query("seed").isPresent()
                ? request.longParam("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE)
                : ThreadLocalRandom.current().nextLong(GeneratorApi.RANDOM_SEED_BOUND);
        Optional<String> label = request.query("label").map(String::strip);
        if (label.isPresent() && label.get().matches("[+-]?[0-9]+")) {
            request.longParam("label", 0, 0, Integer.MAX_VALUE); // an index: refused here when negative or too large
        } else if (label.isPresent() && (label.get().isEmpty() || label.get().length() > MAX_LABEL_CHARS)) {
            throw HttpError.badRequest("Query parameter 'label' must be a class index or one of the model's class names (see "
                    + "/v1/models), but was " + (label.get().isEmpty() ? "empty" : "longer than " + MAX_LABEL_CHARS + " characters") + ".");
        }
        OptionalInt columns = request.query("columns").isPresent()
                ? OptionalInt.of(request.intParam("columns", 1, 1, count))
                : OptionalInt.empty();
        if (columns.isPresent() && format != ResponseFormat.GRID) {
            throw HttpError.badRequest("Query parameter 'columns' lays out a grid; it needs format=grid, but format was " + format.parameter() + ".");
        }
        Optional<String> model = request.query("model").map(String::strip);
        if (model.isPresent() && (model.get().isEmpty() || model.get().length() > MAX_MODEL_CHARS)) {
            throw HttpError.badRequest("Query parameter 'model' must be one of the model names GET /v1/models lists, but was "
                    + (model.get().isEmpty() ? "empty" : "longer than " + MAX_MODEL_CHARS + " characters") + ".");
        }
        OptionalLong version = request.query("version").isPresent()
                ? OptionalLong.of(request.longParam("version", 0, 0, Long.MAX_VALUE))
                : OptionalLong.empty();
        return new GenerateQuery(format, count, seed, label, columns, minConfidence(request), model, version);
    }

    private static OptionalDouble minConfidence(Request request) {
        Optional<String> text = request.query("min_confidence");
        if (text.isEmpty()) {
            return OptionalDouble.empty();
        }
        double value;
        try {
            value = Double.parseDouble(text.get().trim());
        } catch (NumberFormatException e) {
            value = Double.NaN;
        }
        if (!(value >= 0 && value < 1)) {
            String shown = text.get().length() > 20 ? text.get().substring(0, 20) + "..." : text.get();
            throw HttpError.badRequest("Query parameter 'min_confidence' must be a number from 0 to below 1 (the classifier's probability "
                    + "of the label), but was '" + shown + "'.");
        }
        return OptionalDouble.of(value);
    }
}
