/**
 * DCGAN training core on DJL's PyTorch engine.
 *
 * <p>{@link dev.ganpipe.trainer.gan.GanTrainingCore} owns a generator and a discriminator (built by
 * {@link dev.ganpipe.trainer.gan.DcganModels} from a {@link dev.ganpipe.trainer.gan.GanConfig}),
 * their Adam optimisers and a seeded noise source, and runs one alternating D/G step per call to
 * {@code trainStep}. It also produces samples and exports the generator to ONNX through {@code
 * dev.ganpipe.trainer.onnx}. The optimiser is our own ({@code AdamOptimizer}) rather than DJL's
 * {@code Trainer}, so that its state can be checkpointed.
 *
 * <p>Options on top of the DCGAN: a moving average of the generator's weights ({@code
 * GeneratorAverage}, used for samples and exports), spectral normalisation of the discriminator
 * ({@code SpectralNorm}, power iteration in our code) and a conditional GAN ({@code LabelConcat}
 * in the generator, {@code ProjectionDiscriminator}). {@code GanTrainingCore#snapshot} and {@code
 * #restore} move the whole training state (a {@link dev.ganpipe.trainer.gan.TrainingState}) to and
 * from the heap for checkpoints; {@link dev.ganpipe.common.model.NoiseRandom} makes the noise stream
 * restorable.
 *
 * <p>Speed: the generator ({@code DcganGenerator}) computes each "upsample x2, then 3x3 convolution" stage as four
 * 2x2 convolutions of the small map ({@code ResizeConvolution}): the same function and parameters with 4/9 of the
 * multiply-adds and no upsampled copy, worth a third of a dcgan64 step (docs/bench-trainer.md).
 *
 * <p>Engine notes that shape this code (verified against DJL 0.36 / PyTorch 2.7.1):
 *
 * <ul>
 *   <li>PyTorch grad mode is thread-local and is on by default on every thread except the one that
 *       loaded the engine; the core switches it off on entry so only {@code GradientCollector}
 *       scopes record graphs.
 *   <li>{@code GradientCollector} does not zero gradients; they accumulate across backward passes
 *       until zeroed, so the core zeroes both networks' gradients before every backward.
 *   <li>DJL's BatchNorm momentum is the weight of the old running value (0.9 here), the complement
 *       of PyTorch's momentum (0.1).
 *   <li>Only one {@code GradientCollector} may be open per JVM at a time, so two cores must not
 *       train concurrently.
 *   <li>An operation's result belongs to the NDManager of its first operand, so operations on
 *       long-lived parameters (EMA, spectral norm) move or close their results explicitly, and
 *       parameters are written in place with {@code set(new NDIndex(":"), source)}.
 * </ul>
 */
package dev.ganpipe.trainer.gan;
