package dev.ganpipe.generator.model;

/** What the registry did with a model offered to it. */
public enum OfferOutcome {
    /** Validated, loaded and registered (live now unless another version is pinned). */
    APPLIED,
    /** Refused: checksum mismatch, ONNX Runtime refused it, wrong shape or non-finite output. Counted and logged. */
    REJECTED,
    /** The same version with the same bytes is already loaded (e.g. seen in both the directory and the topic). */
    DUPLICATE,
    /** Not for this service: another model name, or older than every version it keeps. */
    IGNORED
}
