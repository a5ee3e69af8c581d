package dev.ganpipe.client;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * A request for images on {@code synthetic.requests}, written as the generator service reads it:
 * {@code {"count":64,"seed":7,"label":3,"model":"fashion-dcgan28"}} (DESIGN.md, "Topics"). The answer comes on {@code synthetic.images} under
 * the request's key.
 *
 * @param count how many images, 1 to the service's {@code --max-count} (a larger count is dead-lettered there)
 * @param seed the noise seed; without one the service derives it from the record's position
 * @param label the class of every image, for a conditional model
 * @param model the name of the model to answer from, when the service serves several; empty: its default model
 */
public record SyntheticRequest(int count, OptionalLong seed, OptionalLong label, Optional<String> model) {

    public SyntheticRequest {
        if (count < 1) {
            throw new IllegalArgumentException("A request asks for at least 1 image, but count was " + count + ".");
        }
        if (label.isPresent() && label.getAsLong() < 0) {
            throw new IllegalArgumentException("A label is a class number, 0 or more, but was " + label.getAsLong() + ".");
        }
        if (model.isPresent() && model.get().isBlank()) {
            throw new IllegalArgumentException("A model name must not be blank; leave the model out to get the service's default model.");
        }
    }

    /** {@code count} images from a seed the service derives. */
    public static SyntheticRequest of(int count) {
        return new SyntheticRequest(count, OptionalLong.empty(), OptionalLong.empty(), Optional.empty());
    }

    /** The same request with a fixed seed, so the answer can be reproduced (also over HTTP). */
    public SyntheticRequest withSeed(long value) {
        return new SyntheticRequest(count, OptionalLong.of(value), label, model);
    }

    /** The same request for one class of a conditional model. */
    public SyntheticRequest withLabel(long value) {
        return new SyntheticRequest(count, seed, OptionalLong.of(value), model);
    }

    /** The same request answered from the model named {@code name} (GET /v1/models lists the names served). */
    public SyntheticRequest withModel(String name) {
        return new SyntheticRequest(count, seed, label, Optional.of(name));
    }

    /** The record value: a JSON object with {@code count} and, when set, {@code seed}, {@code label} and {@code model}. */
    public String toJson() {
        StringBuilder json = new StringBuilder("{\"count\":").append(count);
        seed.ifPresent(value -> json.append(",\"seed\":").append(value));
        label.ifPresent(value -> json.append(",\"label\":").append(value));
        model.ifPresent(value -> json.append(",\"model\":").append(jsonString(value)));
        return json.append('}').toString();
    }

    private static String jsonString(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
