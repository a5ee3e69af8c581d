package dev.ganpipe.generator.stream;

import dev.ganpipe.common.streams.DeadLetterReason;

/** Why a {@code synthetic.requests} record went to the dead-letter topic: the {@code gan.error.reason} header. */
public enum RequestRejectReason implements DeadLetterReason {
    /** Not a JSON object of {@code count}, {@code seed} and {@code label}, or a key or value that is not UTF-8. */
    MALFORMED_REQUEST("malformed_request"),
    /** No {@code count}, or one that is not a whole number between 1 and the service's {@code --max-count}. */
    BAD_COUNT("bad_count"),
    /** A label for an unconditional model, or one that is not a class of the conditional model. */
    BAD_LABEL("bad_label"),
    /** {@code min_confidence} was asked of a model that ships no classifier to judge its images. */
    NO_CLASSIFIER("no_classifier"),
    /**
     * Fewer images than asked reached {@code min_confidence} within the bound on candidates
     * ({@code Generation.MAX_CANDIDATES_PER_IMAGE} per image).
     */
    LOW_CONFIDENCE("low_confidence"),
    /**
     * The request named a model this service does not serve, or named none while it serves several without a default
     * ({@code --model-name}).
     */
    UNKNOWN_MODEL("unknown_model"),
    /** No generator model was live when the request arrived. */
    NO_MODEL("no_model"),
    /** The record has no key: the request id that keys every image of the answer. */
    MISSING_KEY("missing_key"),
    /** The service failed on the record (a bug); the error handler dead-lettered it. */
    INTERNAL("internal");

    private final String code;

    RequestRejectReason(String code) {
        this.code = code;
    }

    /** The machine-readable code, e.g. {@code bad_count}. */
    @Override
    public String code() {
        return code;
    }
}
