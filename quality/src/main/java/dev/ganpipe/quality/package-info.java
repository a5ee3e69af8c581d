/**
 * How good are the generated images? A domain classifier trained on the labelled real data (there are no Inception
 * weights here) gives a feature space in which {@link dev.ganpipe.quality.Evaluator} measures a generator against
 * held-out real images: classifier FID, KID, precision and recall, class coverage, and for conditional models the
 * accuracy against the requested label. Every number comes with its floor: the same metric for real training images
 * against the held-out set.
 *
 * <p>Library use (the trainer): {@link dev.ganpipe.quality.Evaluator#prepare} once, then
 * {@link dev.ganpipe.quality.Evaluator#evaluate(Generator)} between training steps on the training thread.
 * Command line: {@link dev.ganpipe.quality.EvaluateMain} ({@code ./gan evaluate}).
 */
package dev.ganpipe.quality;
