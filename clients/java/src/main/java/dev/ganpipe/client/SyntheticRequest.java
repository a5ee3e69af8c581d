package dev.ganpipe.client;

import java.util.OptionalLong;

/**
 * A request for images on {@code synthetic.requests}, written as the generator service reads it:
 * {@code {"count":64,"seed":7,"label":3}} (DESIGN.md, "Topics"). The answer comes on {@code synthetic.images} under
 * the request's key.
 *
 * @param count how many images, 1 to the service's {@code --max-count} (a larger count is dead-lettered there)
 * @param seed the noise seed; without one the service derives it from the record's position
 * @param label the class of every image, for a conditional model
 */
public record SyntheticRequest(int count, OptionalLong seed, OptionalLong label) {

    public SyntheticRequest {
        if (count < 1) {
            throw new IllegalArgumentException("A request asks for at least 1 image, but count was " + count + ".");
        }
        if (label.isPresent() && label.getAsLong() < 0) {
            throw new IllegalArgumentException("A label is a class number, 0 or more, but was " + label.getAsLong() + ".");
        }
    }

    /** {@code count} images from a seed the service derives. */
    public static SyntheticRequest of(int count) {
        return new SyntheticRequest(count, OptionalLong.empty(), OptionalLong.empty());
    }

    /** The same request with a fixed seed, so the answer can be reproduced (also over HTTP). */
    public SyntheticRequest withSeed(long value) {
        return new SyntheticRequest(count, OptionalLong.of(value), label);
    }

    /** The same request for one class of a conditional model. */
    public SyntheticRequest withLabel(long value) {
        return new SyntheticRequest(count, seed, OptionalLong.of(value));
    }

    /** The record value: a JSON object with {@code count} and, when set, {@code seed} and {@code label}. */
    public String toJson() {
        StringBuilder json = new StringBuilder("{\"count\":").append(count);
        seed.ifPresent(value -> json.append(",\"seed\":").append(value));
        label.ifPresent(value -> json.append(",\"label\":").append(value));
        return json.append('}').toString();
    }
}
