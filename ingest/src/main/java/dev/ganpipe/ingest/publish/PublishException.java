package dev.ganpipe.ingest.publish;

import java.io.Serial;

/** The broker did not acknowledge a record; the message says which and what to check. */
public final class PublishException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    public PublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
