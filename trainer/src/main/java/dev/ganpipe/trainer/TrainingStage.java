package dev.ganpipe.trainer;

import dev.ganpipe.common.http.HttpError;
import dev.ganpipe.trainer.loop.TrainerStatus;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the trainer stands before and after its training half exists: waiting for the first record that decides the
 * networks, training, or failed to start training. The HTTP routes and {@link TrainerService} read it from any thread.
 */
final class TrainingStage {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingStage.class);
    private static final int SKIPS_LOGGED = 10;

    private final String waitingReason;
    private final String augmentation;
    private final CountDownLatch settled = new CountDownLatch(1);
    private Training training; // guarded by this
    private RuntimeException failure; // guarded by this
    private boolean closed; // guarded by this
    private long skipped; // guarded by this
    private String lastSkip; // guarded by this

    /**
     * @param waitingReason what the trainer waits for, as a sentence for {@code /readyz}
     * @param augmentation how the discriminator's inputs will be augmented, for the waiting status
     */
    TrainingStage(String waitingReason, String augmentation) {
        this.waitingReason = waitingReason;
        this.augmentation = augmentation;
    }

    /** Takes {@code started} as the training half; false (and nothing kept) when the trainer closed meanwhile. */
    synchronized boolean begin(Training started) {
        if (closed) {
            return false;
        }
        training = started;
        settled.countDown();
        return true;
    }

    /** Records why training could not start: {@code /readyz} and {@code /v1/status} say it from now on. */
    synchronized void fail(RuntimeException cause) {
        failure = cause;
        settled.countDown();
    }

    /** A record passed over while waiting, which cannot decide the networks: logged (the first ten) and told by {@code /readyz}. */
    void skipped(String reason) {
        long count;
        synchronized (this) {
            count = ++skipped;
            lastSkip = reason;
        }
        if (count <= SKIPS_LOGGED) {
            LOG.warn("Passing over {}{}", reason, count == SKIPS_LOGGED ? " (further records passed over are counted on /readyz, "
                    + "not logged)" : "");
        }
    }

    /** Whether the trainer still waits for its data (and has not been closed). */
    synchronized boolean waiting() {
        return !closed && training == null && failure == null;
    }

    /** Ends the wait; returns the training half to close, if it started. */
    synchronized Optional<Training> close() {
        closed = true;
        settled.countDown();
        return Optional.ofNullable(training);
    }

    synchronized Optional<Training> training() {
        return Optional.ofNullable(training);
    }

    /** The training half, or a 503 saying why there is none yet. */
    Training trainingOrNotReady() {
        synchronized (this) {
            if (training != null) {
                return training;
            }
            if (failure != null) {
                throw HttpError.notReady("Training could not start: " + failure.getMessage());
            }
            if (skipped > 0) {
                throw HttpError.notReady(waitingReason + " " + skipped + " record(s) passed over so far; the last: " + lastSkip);
            }
        }
        throw HttpError.notReady(waitingReason);
    }

    /** Ready while training runs (not after it failed). */
    boolean ready() {
        return !trainingOrNotReady().loop().status().state().equals("failed");
    }

    /** {@code /v1/status}: the loop's, or a {@code waiting_for_data} (or {@code failed}) status before it exists. */
    TrainerStatus status() {
        RuntimeException failed;
        synchronized (this) {
            if (training != null) {
                return training.loop().status();
            }
            failed = failure;
        }
        return new TrainerStatus(failed == null ? "waiting_for_data" : "failed", 0, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, augmentation, false, 0, 0, "not chosen yet", 0, 0, null, failed == null ? null : failed.getMessage(),
                0, 0, null, null, null);
    }

    /** Waits until the training half exists (or failed, or the trainer closed); false when {@code timeout} passed first. */
    boolean awaitSettled(Duration timeout) throws InterruptedException {
        return settled.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
