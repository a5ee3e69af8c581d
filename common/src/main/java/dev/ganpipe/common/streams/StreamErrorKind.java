package dev.ganpipe.common.streams;

import java.util.Locale;

/** What kind of failure a Streams error handler took over: the {@code kind} tag of an app's stream-error counter. */
public enum StreamErrorKind {
    /** A record the source's deserialiser refused. */
    DESERIALIZATION,
    /** A record a processor threw on. */
    PROCESSING,
    /** An output record the broker refused or the sink could not serialise. */
    PRODUCTION;

    /** The tag value, e.g. {@code processing}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
