/**
 * {@code ./gan bench trainer}: images per second of the trainer's DCGAN step next to a PyTorch eager reference of
 * the same architecture, batch size and thread count, and of the trainer fed from a real Kafka broker next to the
 * trainer fed from memory, all in one run on one machine.
 *
 * <p>{@link dev.ganpipe.bench.trainer.TrainerBench#run} is the entry point. The PyTorch reference is the Python
 * script {@code pytorch_dcgan_reference.py} beside this package among the bench module's resources, run with Debian's
 * {@code python3-torch}; it mirrors {@code DcganModels} and {@code GanTrainingCore.trainStep} layer for layer.
 * The bench only uses the trainer's public API ({@code GanTrainingCore}, {@code TrainingFeed},
 * {@code BatchAssembler}, {@code ReplayBuffer}), so it measures what the service runs.
 */
package dev.ganpipe.bench.trainer;
