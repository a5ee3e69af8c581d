/**
 * The normaliser: turning any encoded image (plus an optional label) into the canonical image of DESIGN.md, or into
 * a rejection with a machine reason code and a sentence. Nothing here touches Kafka, so ingest's Streams topology,
 * its CLI's dry run, the quality evaluator's reader of real images and the tests share exactly one implementation.
 */
package dev.ganpipe.images.normalize;
