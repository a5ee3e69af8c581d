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
        for (int i = 1; i < layers.size(); i++) {
            if (layers.get(i) instanceof GeneratorLayer.LabelEmbedding) {
                throw new IllegalArgumentException("A label embedding must be the first layer, but is layer " + i + ".");
            }
        }
    }

    /** Number of class labels of a conditional generator (its first layer embeds them), or 0. */
    public int classes() {
        return layers.getFirst() instanceof GeneratorLayer.LabelEmbedding e ? e.classes() : 0;
    }
}
