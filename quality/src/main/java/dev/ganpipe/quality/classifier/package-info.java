/**
 * The domain classifier: a small CNN trained with DJL (PyTorch engine) on the labelled real training set, whose
 * penultimate layer is the feature space of every metric (there are no Inception weights here; this is the
 * "Fréchet classifier distance" of the MNIST literature).
 *
 * <p>{@link dev.ganpipe.quality.classifier.ClassifierTrainer#trainOrLoad} trains one, or loads it from a cache
 * directory keyed by the training set's hash, the architecture and the training options, so repeated evaluations
 * never retrain. {@link dev.ganpipe.quality.classifier.DomainClassifier} extracts features and predicted classes.
 *
 * <p>Engine rules that shape this code (the same as the trainer's, see {@code dev.ganpipe.trainer.gan}): PyTorch
 * grad mode is per thread and on by default on threads other than the one that loaded the engine, so every entry
 * point turns it off; gradients accumulate until zeroed, so training zeroes them before each backward; the
 * {@code NDArray} that {@code getGradient()} returns is closed at once; every step runs in its own sub-manager.
 * <b>Only one {@code GradientCollector} may be open per JVM</b>: never train a classifier while a GAN trains in
 * another thread of the same JVM. Training a classifier on the training thread between GAN steps, and extracting
 * features at any time, is safe.
 */
package dev.ganpipe.quality.classifier;
