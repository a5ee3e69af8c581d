package dev.ganpipe.generator.images;

import java.io.Serial;

/**
 * A {@code min_confidence} request that cannot be served: the model ships no classifier to judge its images, or too few
 * of the candidates the bound allows reached the threshold.
 */
public final class ConfidenceException extends IllegalArgumentException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Whether the model has no classifier (else the bound was hit). */
    private final boolean noClassifier;

    ConfidenceException(boolean noClassifier, String message) {
        super(message);
        this.noClassifier = noClassifier;
    }

    /** Whether the model ships no classifier, so no threshold can be applied (else too few candidates passed). */
    public boolean noClassifier() {
        return noClassifier;
    }
}
