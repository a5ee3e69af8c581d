/**
 * {@code ./gan bench endurance}: the pipeline's real parts under load and over long runs, reported as figures
 * (never asserted): the generator service under 32 concurrent clients while models are swapped in, the trainer's
 * resident memory over thousands of steps (in a child JVM with a fixed, pre-touched heap, so that growth is native
 * memory), and an ingest of tens of thousands of images while the trainer consumes them, with its lag and a count of
 * what reached the topics.
 */
package dev.ganpipe.bench.endurance;
