package dev.ganpipe.ingest.http;

import dev.ganpipe.images.normalize.ClassList;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The limits on uploads.
 *
 * @param maxBytes images (a raw body, or one part of a multipart body) over this many bytes get 413
 * @param classes labels must name one of these (as index or name), else 400
 * @param maxConcurrent uploads being stored at once (from a complete body to the broker's acknowledgement); more get 503
 *     with Retry-After. Bodies still arriving hold no slot: they are bounded by {@link #memoryBytes()} instead
 * @param sendTimeout how long to wait for the broker's acknowledgement before answering 503
 * @param maxParts parts (images and label fields) one multipart body may have; more get 413
 * @param maxUploadBytes bytes one multipart body may have in all; more get 413
 * @param apiKey bearer key an upload must carry; empty means uploads are open
 */
public record UploadPolicy(int maxBytes, ClassList classes, int maxConcurrent, Duration sendTimeout, int maxParts, int maxUploadBytes,
        Optional<String> apiKey) {

    /** Default part limit: a generous batch of images per request. */
    public static final int DEFAULT_MAX_PARTS = 256;
    /** Default size limit of a multipart body (16 MiB): with 32 uploads in flight, at most 512 MiB held at once. */
    public static final int DEFAULT_MAX_UPLOAD_BYTES = 16 * 1024 * 1024;

    public UploadPolicy {
        Objects.requireNonNull(classes, "classes");
        Objects.requireNonNull(sendTimeout, "sendTimeout");
        Objects.requireNonNull(apiKey, "apiKey");
        if (maxBytes < 1 || maxConcurrent < 1 || !sendTimeout.isPositive() || maxParts < 1 || maxUploadBytes < 1) {
            throw new IllegalArgumentException("Upload limits must be positive, but got max bytes " + maxBytes + ", max concurrent uploads "
                    + maxConcurrent + ", send timeout " + sendTimeout + ", max parts " + maxParts + " and max upload bytes "
                    + maxUploadBytes + ".");
        }
    }

    /** An open policy (no key). */
    public UploadPolicy(int maxBytes, ClassList classes, int maxConcurrent, Duration sendTimeout, int maxParts, int maxUploadBytes) {
        this(maxBytes, classes, maxConcurrent, sendTimeout, maxParts, maxUploadBytes, Optional.empty());
    }

    /** An open policy with the default multipart limits. */
    public UploadPolicy(int maxBytes, ClassList classes, int maxConcurrent, Duration sendTimeout) {
        this(maxBytes, classes, maxConcurrent, sendTimeout, DEFAULT_MAX_PARTS, DEFAULT_MAX_UPLOAD_BYTES);
    }

    /**
     * Bytes the bodies of all uploads in flight may hold together, charged as they arrive: as many as
     * {@code maxConcurrent} of the largest uploads, the worst case the slots alone used to bound.
     */
    public long memoryBytes() {
        return (long) maxConcurrent * Math.max(maxBytes, maxUploadBytes);
    }

    /** A copy that requires the bearer key. */
    public UploadPolicy withApiKey(Optional<String> key) {
        return new UploadPolicy(maxBytes, classes, maxConcurrent, sendTimeout, maxParts, maxUploadBytes, key);
    }

    /** Says whether a key is set, never the key: policies end up in logs. */
    @Override
    public String toString() {
        return "UploadPolicy[maxBytes=" + maxBytes + ", classes=" + classes + ", maxConcurrent=" + maxConcurrent + ", sendTimeout="
                + sendTimeout + ", maxParts=" + maxParts + ", maxUploadBytes=" + maxUploadBytes + ", apiKey="
                + (apiKey.isPresent() ? "(set)" : "(none)") + "]";
    }
}
