package dev.ganpipe.common.model.onnx;

/**
 * The names of a generator model's inputs and output (DESIGN.md, "Model file"): a wire contract with every model file
 * already published, written by the trainer's export and read by {@link GeneratorSignature}. Apart from the reader so
 * that the trainer, which carries no ONNX Runtime, can name them too.
 */
public final class GeneratorTensors {

    /** The noise input: float32 {@code [N, nz]}. */
    public static final String NOISE_INPUT = "z";
    /** The label input of a conditional generator: int64 {@code [N]}. */
    public static final String LABEL_INPUT = "label";
    /** The image output: float32 {@code [N, C, H, W]} in [-1, 1]. */
    public static final String IMAGE_OUTPUT = "image";
    /**
     * The optional output of a conditional generator that ships its classifier: float32 {@code [N]}, the classifier's
     * softmax probability that image {@code i} shows class {@code label[i]} (the trust signal served with each image).
     */
    public static final String CONFIDENCE_OUTPUT = "label_confidence";

    private GeneratorTensors() {
    }
}
