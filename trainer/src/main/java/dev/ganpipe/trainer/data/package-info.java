/**
 * The trainer's data path: a Kafka consumer thread that decodes {@code images.train} into model-ready floats off
 * the training thread, and the reservoir replay buffer that keeps old classes in every batch.
 * {@link dev.ganpipe.trainer.data.BatchAssembler} reads fresh images through {@link
 * dev.ganpipe.trainer.data.FreshImages} and reports, per batch, the Kafka positions it covers; the training loop
 * commits them only after a checkpoint.
 */
package dev.ganpipe.trainer.data;
