/**
 * The training loop: one thread that takes batches, runs adversarial steps, records metrics, writes fixed-noise
 * sample grids, exports generators and writes checkpoints ({@code Checkpointer}) on step or time schedules; and the
 * status it reports.
 */
package dev.ganpipe.trainer.loop;
