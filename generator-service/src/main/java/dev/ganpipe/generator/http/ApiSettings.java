package dev.ganpipe.generator.http;

import java.util.Objects;
import java.util.Optional;

/**
 * The limits and keys of the HTTP API.
 *
 * @param maxCount most images one {@code /v1/generate} call may ask for
 * @param apiKey bearer key for {@code /v1/generate} and {@code GET /v1/models}; empty means open
 * @param adminKey bearer key for activating models; empty means the API key guards activation too, which is open
 *     only when neither key is set
 * @param maxQueuedImages most images {@code /v1/generate} requests may have asked for and not yet received; a request
 *     that does not fit gets 503 with {@code Retry-After}
 */
public record ApiSettings(int maxCount, Optional<String> apiKey, Optional<String> adminKey, long maxQueuedImages) {

    /** Images per call when the caller does not say. */
    public static final int DEFAULT_COUNT = 16;
    /** The default of {@code --max-queued-images}: about 5 s of work for the 28x28 DCGAN on 2 cores. */
    public static final long DEFAULT_MAX_QUEUED_IMAGES = 4096;

    public ApiSettings {
        if (maxCount < 1) {
            throw new IllegalArgumentException("The most images per request must be at least 1, but was " + maxCount + ".");
        }
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(adminKey, "adminKey");
        if (maxQueuedImages < maxCount) {
            throw new IllegalArgumentException("The most images queued (" + maxQueuedImages + ") must be at least the most images per request ("
                    + maxCount + ").");
        }
    }

    /** Open endpoints with the given count limit, and room for four such requests queued (at least the default). */
    public static ApiSettings open(int maxCount) {
        return new ApiSettings(maxCount, Optional.empty(), Optional.empty(), Math.max(DEFAULT_MAX_QUEUED_IMAGES, 4L * maxCount));
    }

    /** Says whether keys are set, never the keys: settings end up in logs. */
    @Override
    public String toString() {
        return "ApiSettings[maxCount=" + maxCount + ", apiKey=" + (apiKey.isPresent() ? "(set)" : "(none)") + ", adminKey="
                + (adminKey.isPresent() ? "(set)" : "(none)") + ", maxQueuedImages=" + maxQueuedImages + "]";
    }
}
