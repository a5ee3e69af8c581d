package dev.ganpipe.generator.model;

import java.io.Serial;

/**
 * A request named a model this service does not serve, or named none while the service serves several and has no
 * default ({@code --model-name}). The message lists the names it serves.
 */
public final class ModelChoiceException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final boolean unknownName;

    ModelChoiceException(boolean unknownName, String message) {
        super(message);
        this.unknownName = unknownName;
    }

    /** True when the request named a model that is not served (404); false when it named none among several (400). */
    public boolean unknownName() {
        return unknownName;
    }
}
