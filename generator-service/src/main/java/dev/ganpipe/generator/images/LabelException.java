package dev.ganpipe.generator.images;

import java.io.Serial;

/** A label that the model cannot take: any label for an unconditional model, or one outside a conditional model's classes. */
public final class LabelException extends IllegalArgumentException {

    @Serial
    private static final long serialVersionUID = 1L;

    LabelException(String message) {
        super(message);
    }
}
