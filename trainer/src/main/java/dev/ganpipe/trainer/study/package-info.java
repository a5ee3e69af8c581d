/**
 * {@code ./gan bench quality}: the study that chooses the trainer's defaults by measurement (issue 8). Each recipe
 * (the seed DCGAN and the stabilisers: weight average, spectral normalisation, conditional, replay) trains in memory
 * on the same seeded order of labelled Fashion-MNIST images for the same number of steps, through the trainer's own
 * {@code GanTrainingCore}, {@code BatchAssembler} and {@code ReplayBuffer}; then quality's full evaluator measures
 * the generator the trainer would publish. The PyTorch eager reference of {@code ./gan bench trainer} trains on the
 * same images in the same order and is measured by the same evaluator, through an ONNX export.
 *
 * <p>{@link dev.ganpipe.trainer.study.QualityStudy#run} is the entry point; it prints progress and a table and
 * writes the table as Markdown and JSON with one fixed-noise sample grid per recipe.
 */
package dev.ganpipe.trainer.study;
