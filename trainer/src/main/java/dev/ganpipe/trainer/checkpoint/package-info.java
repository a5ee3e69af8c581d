/**
 * Crash safety: checkpoints of the complete training state, written atomically to a directory, and the rules for
 * resuming from them.
 *
 * <p>A {@link dev.ganpipe.trainer.checkpoint.Checkpoint} holds the {@link dev.ganpipe.trainer.gan.TrainingState}
 * (both networks with BatchNorm running statistics, the EMA generator, both Adam optimisers, step, noise state),
 * the last published model version, the Kafka positions whose images it has trained on, and the architecture it
 * belongs to. {@link dev.ganpipe.trainer.checkpoint.CheckpointFile} defines the file format;
 * {@link dev.ganpipe.trainer.checkpoint.CheckpointStore} writes files atomically (temp file, fsync, rename, fsync
 * of the directory), keeps the newest few and finds the one to resume from. The training loop commits consumer
 * offsets only after the checkpoint that covers them is durable.
 */
package dev.ganpipe.trainer.checkpoint;
