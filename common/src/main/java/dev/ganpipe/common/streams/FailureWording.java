package dev.ganpipe.common.streams;

/**
 * How an app names what its error handlers failed on, in the ERROR line they log and in the {@code gan.error.detail}
 * of the dead letter: "The {@code service} failed on this {@code noun} (exception); {@code retryAdvice}".
 *
 * @param service the service, e.g. {@code ingest service}
 * @param noun what one input record is, e.g. {@code record} or {@code request}
 * @param retryAdvice the sentence's end: what the reader of the dead letter should do, e.g.
 *     {@code report it with the record, then replay it.}
 */
public record FailureWording(String service, String noun, String retryAdvice) {

    /** The detail of a record the deserialiser refused. */
    String deserializationDetail(Exception exception) {
        return "The " + noun + " could not be deserialised (" + exception + "); report this with the record.";
    }

    /** The detail of a record a processor threw on. */
    String processingDetail(Exception exception) {
        return "The " + service + " failed on this " + noun + " (" + exception + "); " + retryAdvice;
    }
}
