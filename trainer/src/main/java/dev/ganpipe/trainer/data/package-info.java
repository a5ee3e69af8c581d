/**
 * The trainer's data path: a Kafka consumer thread that decodes {@code images.train} into model-ready floats off
 * the training thread, and the reservoir replay buffer that keeps old classes in every batch.
 */
package dev.ganpipe.trainer.data;
