/**
 * {@code ./gan bench quality}: the study that chooses the trainer's defaults by measurement (issue 8). Each recipe
 * (the seed DCGAN and the stabilisers: weight average, spectral normalisation, conditional, replay) trains in memory
 * on the same seeded order of labelled Fashion-MNIST images for the same number of steps, through the trainer's own
 * {@code GanTrainingCore}, {@code BatchAssembler} and {@code ReplayBuffer}; then quality's full evaluator measures
 * the generator the trainer would publish. The PyTorch eager reference of {@code ./gan bench trainer} trains on the
 * same images in the same order and is measured by the same evaluator, through an ONNX export.
 *
 * <p>{@link dev.ganpipe.bench.quality.QualityStudy#run} is the entry point; it prints progress and a table and
 * writes the table as Markdown and JSON with one fixed-noise sample grid per recipe; {@code --at} runs the
 * equal-step mode ({@link dev.ganpipe.bench.quality.EqualStepStudy}), and {@code --minutes} the equal-time mode
 * ({@link dev.ganpipe.bench.quality.EqualTimeStudy}: each recipe alone for the same minutes of training, with time to
 * quality). {@link dev.ganpipe.bench.quality.StepParity#run}
 * ({@code ./gan bench step-parity}) replays the trainer's first steps in PyTorch from the same weights, images and
 * noise. The Python scripts lie beside this package among the bench module's resources.
 */
package dev.ganpipe.bench.quality;
