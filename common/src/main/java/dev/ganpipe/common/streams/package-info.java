/**
 * The dead-letter kit every Kafka Streams app of the pipeline uses, so that a dead letter looks the same whoever
 * writes it (DESIGN.md, "Dead letters"): {@link dev.ganpipe.common.streams.DeadLetters} builds the record (original
 * key and bytes, original headers, reason, detail, source position, CloudEvents headers),
 * {@link dev.ganpipe.common.streams.DeadLetterLimit} keeps it under what the topic accepts, and the Streams error
 * handlers ({@link dev.ganpipe.common.streams.DeadLetteringHandler},
 * {@link dev.ganpipe.common.streams.ProductionFailureHandler}) dead-letter or skip what the topology itself could
 * not handle. Each app keeps only its own reasons (an enum implementing
 * {@link dev.ganpipe.common.streams.DeadLetterReason}) and its wording.
 *
 * <p>Only the Streams apps use this package; they declare {@code kafka-streams} themselves, which common holds as an
 * optional dependency (see common's pom), so services without Streams carry none.
 */
package dev.ganpipe.common.streams;
