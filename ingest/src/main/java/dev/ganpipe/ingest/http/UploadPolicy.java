package dev.ganpipe.ingest.http;

import dev.ganpipe.ingest.normalize.ClassList;
import java.time.Duration;
import java.util.Objects;

/**
 * The limits on uploads.
 *
 * @param maxBytes bodies over this many bytes get 413
 * @param classes labels must name one of these (as index or name), else 400
 * @param maxConcurrent uploads in flight at once; more get 503 with Retry-After
 * @param sendTimeout how long to wait for the broker's acknowledgement before answering 503
 */
public record UploadPolicy(int maxBytes, ClassList classes, int maxConcurrent, Duration sendTimeout) {

    public UploadPolicy {
        Objects.requireNonNull(classes, "classes");
        Objects.requireNonNull(sendTimeout, "sendTimeout");
        if (maxBytes < 1 || maxConcurrent < 1 || !sendTimeout.isPositive()) {
            throw new IllegalArgumentException("Upload limits must be positive, but got max bytes " + maxBytes + ", max concurrent uploads "
                    + maxConcurrent + " and send timeout " + sendTimeout + ".");
        }
    }
}
