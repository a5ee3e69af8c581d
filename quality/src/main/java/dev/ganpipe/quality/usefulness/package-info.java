/**
 * Do the generated images help? Where {@link dev.ganpipe.quality.Evaluator} measures how close generated images
 * are to real ones, this package measures what they are worth to a user who trains on them: the classification
 * accuracy score (a classifier trained on generated images only, tested on held-out real ones, beside the same
 * classifier trained on as many real images), the augmentation uplift (few real images per class, with and without
 * generated ones added; one class cut to 2% and topped up), and memorisation (how many generated images sit closer
 * to a training image than held-out real images do).
 *
 * <p>Every classifier here has the evaluator's architecture and options and trains for a fixed number of steps, so
 * the cost is bounded whatever the set size ({@link dev.ganpipe.quality.usefulness.UsefulnessOptions} says how
 * much). Training opens DJL's one-per-JVM {@code GradientCollector}: call it on the thread that trains the GAN,
 * between steps, never beside it.
 */
package dev.ganpipe.quality.usefulness;
