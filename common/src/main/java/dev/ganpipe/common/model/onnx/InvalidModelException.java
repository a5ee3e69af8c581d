package dev.ganpipe.common.model.onnx;

import java.io.Serial;

/**
 * A model file that breaks the generator contract: ONNX Runtime refuses it, or its inputs, outputs, metadata or test
 * output are wrong. The message says what is wrong and what to do. An {@link IllegalArgumentException}, since the
 * model is an argument the caller passed in.
 */
public final class InvalidModelException extends IllegalArgumentException {

    @Serial
    private static final long serialVersionUID = 1L;

    public InvalidModelException(String message) {
        super(message);
    }

    public InvalidModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
