package dev.ganpipe.trainer.quality;

import java.util.Optional;

/**
 * Where a conditional generator's shipped classifier comes from (DESIGN.md, "Model file", {@code label_confidence}):
 * the evaluator's classifier as ONNX nodes that {@code ModelRelease} appends to each export, so the generator service
 * can give every served image its confidence for the requested label.
 */
public interface ConfidenceHead {

    /**
     * The classifier's graph extension for a generator of {@code classes} labels, or empty when there is none to ship
     * (an unconditional generator, a classifier not prepared yet, or one of other classes).
     */
    Optional<byte[]> extension(int classes);
}
