/**
 * The metrics, in plain Java on feature vectors, with no engine involved: Fréchet distance
 * ({@link dev.ganpipe.quality.metrics.FrechetDistance}, double precision, matrix square roots through
 * {@link dev.ganpipe.quality.metrics.SymmetricEigen}), kernel distance
 * ({@link dev.ganpipe.quality.metrics.KernelDistance}: unbiased MMD² with the cubic polynomial kernel, over
 * subsets), k-nearest-neighbour precision and recall ({@link dev.ganpipe.quality.metrics.PrecisionRecall},
 * Kynkäänniemi et al. 2019) and {@link dev.ganpipe.quality.metrics.ClassCoverage}. The pairwise work runs in
 * cache-sized tiles on the common fork-join pool.
 */
package dev.ganpipe.quality.metrics;
