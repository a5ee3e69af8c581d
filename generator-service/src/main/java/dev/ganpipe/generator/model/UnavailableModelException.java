package dev.ganpipe.generator.model;

import java.io.Serial;

/** An operator asked to activate a version that is unknown, or known but not loaded (retired or rejected). */
public final class UnavailableModelException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final boolean known;

    UnavailableModelException(boolean known, String message) {
        super(message);
        this.known = known;
    }

    /** False when the version was never seen (404), true when it was seen but cannot be served (409). */
    public boolean known() {
        return known;
    }
}
