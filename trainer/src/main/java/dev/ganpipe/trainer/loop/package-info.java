/**
 * The training loop: one thread that takes batches, runs adversarial steps, records metrics, writes fixed-noise
 * sample grids and exports generators on a step or time schedule; and the status it reports.
 */
package dev.ganpipe.trainer.loop;
