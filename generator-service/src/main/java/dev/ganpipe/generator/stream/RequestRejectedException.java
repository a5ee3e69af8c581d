package dev.ganpipe.generator.stream;

import java.io.Serial;

/** A request that cannot be answered: it goes to the dead-letter topic with this reason and detail. */
final class RequestRejectedException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    private final RequestRejectReason reason;

    RequestRejectedException(RequestRejectReason reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    RequestRejectReason reason() {
        return reason;
    }
}
