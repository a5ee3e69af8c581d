package dev.ganpipe.client;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What {@link GeneratorClient#generate(GenerateRequest)} asks {@code GET /v1/generate} for (docs/generator.md lists
 * the parameters): start from {@link #of} and add what you need, e.g.
 * {@code GenerateRequest.of(GenerateFormat.ZIP, 64).withLabel(3).withMinConfidence(0.9)}.
 *
 * @param format the answer's format
 * @param count how many images, 1 to the service's {@code --max-count}
 * @param seed the noise seed; empty for one the service picks
 * @param label the class of every image (conditional models); empty for image i of class i mod classes
 * @param model which served model (names in {@link Models#names()}); empty for the service's default
 * @param minConfidence serve only images whose shipped classifier gives their label at least this probability, 0 to
 *     below 1; empty to serve every image
 */
public record GenerateRequest(GenerateFormat format, int count, OptionalLong seed, OptionalLong label, Optional<String> model,
        OptionalDouble minConfidence) {

    public GenerateRequest {
        Objects.requireNonNull(format, "Pass a format, e.g. GenerateFormat.ZIP.");
        Objects.requireNonNull(seed, "seed");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(minConfidence, "minConfidence");
        if (count < 1) {
            throw new IllegalArgumentException("Ask for at least one image, but count was " + count + ".");
        }
        if (minConfidence.isPresent() && !(minConfidence.getAsDouble() >= 0 && minConfidence.getAsDouble() < 1)) {
            throw new IllegalArgumentException("minConfidence must be a probability from 0 to below 1 (e.g. 0.9), but was "
                    + minConfidence.getAsDouble() + ".");
        }
        if (model.isPresent() && model.get().isBlank()) {
            throw new IllegalArgumentException("The model name is blank; pass one of the names GeneratorClient.models() lists, or leave it out.");
        }
    }

    /** {@code count} images in {@code format} from the default model, with a seed the service picks. */
    public static GenerateRequest of(GenerateFormat format, int count) {
        return new GenerateRequest(format, count, OptionalLong.empty(), OptionalLong.empty(), Optional.empty(), OptionalDouble.empty());
    }

    /** A copy with a noise seed: the same seed on the same model version gives the same images. */
    public GenerateRequest withSeed(long value) {
        return new GenerateRequest(format, count, OptionalLong.of(value), label, model, minConfidence);
    }

    /** A copy asking for images of one class. */
    public GenerateRequest withLabel(long value) {
        return new GenerateRequest(format, count, seed, OptionalLong.of(value), model, minConfidence);
    }

    /** A copy asking a named model. */
    public GenerateRequest withModel(String name) {
        return new GenerateRequest(format, count, seed, label, Optional.of(name), minConfidence);
    }

    /** A copy serving only images the model's classifier is at least this confident of. */
    public GenerateRequest withMinConfidence(double value) {
        return new GenerateRequest(format, count, seed, label, model, OptionalDouble.of(value));
    }
}
