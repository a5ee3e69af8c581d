/**
 * The pure part of ingest: turning any encoded image (plus an optional label) into the canonical image of
 * DESIGN.md, or into a rejection with a machine reason code and a sentence. Nothing here touches Kafka, so the
 * Streams topology, the CLI's dry run and the tests share exactly one implementation.
 */
package dev.ganpipe.ingest.normalize;
