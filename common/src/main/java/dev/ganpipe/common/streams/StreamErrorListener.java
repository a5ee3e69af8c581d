package dev.ganpipe.common.streams;

/**
 * Told of every record a Streams error handler took over, so the app counts it in its own meters (a dead-lettered
 * record under the app's {@code internal} reason, a skipped output under its stream errors).
 */
@FunctionalInterface
public interface StreamErrorListener {

    /**
     * Called once per record the handler took over.
     *
     * @param kind what failed; for {@link StreamErrorKind#PRODUCTION} the output was skipped, otherwise the input was
     *     dead-lettered with the app's internal reason
     */
    void handled(StreamErrorKind kind);
}
