/**
 * The training loop: one thread that takes batches ({@code BatchSource}), runs adversarial steps, records metrics,
 * writes fixed-noise sample grids, releases generators ({@code ModelRelease}: schedule, quality gate, metadata, then
 * the {@code ModelSink}) and writes checkpoints ({@code CheckpointPort}, {@code Checkpointer}) on step or time
 * schedules; and the status it reports. Per step the order is: train, release when due, checkpoint when due, and
 * the checkpoint's offsets are committed only once it is on disk.
 */
package dev.ganpipe.trainer.loop;
