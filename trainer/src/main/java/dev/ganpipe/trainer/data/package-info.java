/**
 * The trainer's data path: a Kafka consumer thread that decodes {@code images.train} off the training thread into
 * 8-bit CHW pixels, and the reservoir replay buffer (also 8-bit) that keeps old classes in every batch; the batch
 * assembler turns pixels into the model's floats once, per batch.
 * {@link dev.ganpipe.trainer.data.BatchAssembler} reads fresh images through {@link
 * dev.ganpipe.trainer.data.FreshImages} and reports, per batch, the Kafka positions it covers; the training loop
 * commits them only after a checkpoint.
 */
package dev.ganpipe.trainer.data;
