package dev.ganpipe.ingest.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether the broker stores uploads: the normaliser can run while the cluster refuses every write (two of three
 * brokers down leave each partition below {@code min.insync.replicas}), so {@code /readyz} also reports the last upload
 * the broker did not acknowledge. A refusal counts for {@link #REMEMBERED} unless an upload is stored before; it is
 * forgotten after that, so that a service nobody sends to (a load balancer drains a not-ready one) becomes ready again
 * and the next upload tells anew.
 */
public final class UploadHealth {

    /** How long a refused upload keeps {@code /readyz} at 503 when no upload is stored after it. */
    public static final Duration REMEMBERED = Duration.ofSeconds(30);

    private record Refusal(Instant at, String reason) {
    }

    private final Clock clock;
    private final AtomicReference<Refusal> lastRefusal = new AtomicReference<>();

    public UploadHealth(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "A clock is required.");
    }

    /** The broker acknowledged an upload. */
    void stored() {
        lastRefusal.set(null);
    }

    /** The broker did not acknowledge an upload in time, or refused it, for {@code reason}. */
    void refused(String reason) {
        lastRefusal.set(new Refusal(clock.instant(), reason));
    }

    /** A sentence for {@code /readyz} while the last upload was refused less than {@link #REMEMBERED} ago. */
    public Optional<String> problem() {
        Refusal refusal = lastRefusal.get();
        if (refusal == null) {
            return Optional.empty();
        }
        Duration ago = Duration.between(refusal.at(), clock.instant());
        if (ago.compareTo(REMEMBERED) > 0) {
            return Optional.empty();
        }
        return Optional.of("The broker did not store the last upload " + Math.max(0, ago.toSeconds()) + " s ago (" + refusal.reason()
                + "); uploads are answered 503 until it does. On a replicated cluster this usually means a partition of the raw "
                + "topic has fewer in-sync replicas than min.insync.replicas: bring the stopped brokers back.");
    }
}
