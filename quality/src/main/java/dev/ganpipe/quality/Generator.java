package dev.ganpipe.quality;

import dev.ganpipe.common.image.ImageShape;

/**
 * A generator under evaluation, whatever runs it: the trainer passes its in-memory network, the command line an
 * ONNX Runtime session. Images come back as the pipeline's model tensors (DESIGN.md, "Model file"): NCHW floats
 * in [-1, 1].
 */
public interface Generator {

    /** The shape of one generated image. */
    ImageShape shape();

    /** The length of one noise vector {@code z}. */
    int noiseDim();

    /**
     * Generates images from noise.
     *
     * @param z {@code count * noiseDim()} floats, row-major {@code [count, noiseDim]}
     * @param count how many images
     * @return {@code count * C * H * W} floats, NCHW, in [-1, 1]
     */
    float[] generate(float[] z, int count);

    /** Whether the generator takes a class label per image; then the evaluator calls {@link #generate(float[], int[], int)}. */
    default boolean conditional() {
        return false;
    }

    /**
     * Generates images of requested classes (conditional generators only).
     *
     * @param labels {@code count} class indices, the same classes as the real data's
     */
    default float[] generate(float[] z, int[] labels, int count) {
        throw new UnsupportedOperationException("This generator is unconditional; call generate(z, count), or make conditional() "
                + "return true and implement generate(z, labels, count).");
    }

    /** A short description for reports, e.g. the model file and its training step. */
    default String description() {
        String name = getClass().getSimpleName();
        return name.isEmpty() ? "generator" : name;
    }
}
