package dev.ganpipe.trainer.onnx;

import java.util.List;

/**
 * An engine-neutral description of a trained generator: noise {@code [N, noiseDim]} goes through
 * {@code layers} in order and must come out as images {@code [N, channels, height, width]}.
 *
 * @param noiseDim length of one noise vector
 * @param channels image channels
 * @param height image height
 * @param width image width
 * @param layers the layers, first to last
 */
public record GeneratorSpec(int noiseDim, int channels, int height, int width, List<GeneratorLayer> layers) {

    public GeneratorSpec {
        if (noiseDim < 1 || channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException(
                    "noiseDim, channels, height and width must all be at least 1, but were "
                            + noiseDim + ", " + channels + ", " + height + ", " + width + ".");
        }
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("A generator needs at least one layer; pass its layers in order.");
        }
    }
}
