package dev.ganpipe.ingest.http;

import dev.ganpipe.common.http.BodyAllowance;
import dev.ganpipe.common.http.HttpError;
import java.util.concurrent.Semaphore;

/**
 * The memory all uploads in flight may hold together, charged as their bytes arrive: a client that sends 16 bytes and
 * then nothing holds 1 KiB of it, not an upload slot sized for a whole image, so idle bodies cannot lock real uploads
 * out. When it is spent, an upload gets 503 {@code busy} with {@code Retry-After}.
 */
final class UploadMemory {

    /** Charged in KiB, so that a budget of several GiB still fits a semaphore's int permits. */
    private static final int UNIT = 1024;

    private final Semaphore units;
    private final long capacityBytes;

    UploadMemory(long capacityBytes) {
        if (capacityBytes < UNIT) {
            throw new IllegalArgumentException("The upload memory must be at least " + UNIT + " bytes, but was " + capacityBytes + ".");
        }
        this.capacityBytes = capacityBytes;
        this.units = new Semaphore((int) Math.min(Integer.MAX_VALUE, capacityBytes / UNIT));
    }

    /** A new upload's share, empty until its bytes arrive; close it when the upload is answered. */
    Lease lease() {
        return new Lease();
    }

    /**
     * One upload's share. Its body reader charges it and the handler closes it, possibly while a cut-off reader still
     * runs; so both are synchronized, and a closed lease grants nothing more.
     */
    final class Lease implements BodyAllowance, AutoCloseable {

        private long bytes;
        private int held;
        private boolean closed;

        private Lease() {
        }

        @Override
        public synchronized void take(int more) {
            if (closed) {
                throw new HttpError(503, "busy", "This upload was already answered; its remaining bytes are not read.");
            }
            bytes += more;
            int needed = (int) Math.min(Integer.MAX_VALUE, Math.ceilDiv(bytes, UNIT)) - held;
            if (needed > 0) {
                if (!units.tryAcquire(needed)) {
                    throw new HttpError(503, "busy", "The uploads in flight hold all the memory set aside for them (" + capacityBytes / (1024 * 1024)
                            + " MiB, --max-uploads times the largest upload); retry in a moment.");
                }
                held += needed;
            }
        }

        @Override
        public synchronized void close() {
            closed = true;
            units.release(held);
            held = 0;
        }
    }
}
