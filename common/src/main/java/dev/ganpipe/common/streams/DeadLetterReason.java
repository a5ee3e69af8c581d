package dev.ganpipe.common.streams;

/**
 * Why a record went to the dead-letter topic: the machine code in its {@code gan.error.reason} header. Each Streams
 * app names its reasons in an enum that implements this.
 */
public interface DeadLetterReason {

    /** The machine code, e.g. {@code too_many_pixels}; never changes once published. */
    String code();
}
