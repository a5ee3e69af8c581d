package dev.ganpipe.generator.onnx;

import java.io.Serial;

/** A model that cannot be served: ONNX Runtime refuses it, or its inputs, outputs or test output are wrong. */
public final class InvalidModelException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    public InvalidModelException(String message) {
        super(message);
    }

    public InvalidModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
