package dev.ganpipe.common.model.onnx;

/**
 * What one forward pass of a generator gives: the images and, from a model that ships its classifier, each image's
 * confidence for its requested label.
 *
 * @param images {@code N * C * H * W} floats, NCHW, in [-1, 1]
 * @param confidences {@code N} probabilities in [0, 1] from {@value GeneratorTensors#CONFIDENCE_OUTPUT}; null when the
 *     model has no classifier
 */
public record GeneratorOutput(float[] images, float[] confidences) {

    /** Whether the model gave confidences. */
    public boolean hasConfidences() {
        return confidences != null;
    }
}
