package dev.ganpipe.trainer.onnx;

/**
 * One layer of a generator, with its trained values, in inference semantics.
 *
 * <p>Weight arrays are row-major in the layouts DJL (and PyTorch) use. The arrays are handed over,
 * not copied: do not change them after building a layer.
 */
public sealed interface GeneratorLayer {

    /**
     * Fully connected layer {@code y = x W^T + b}.
     *
     * @param inFeatures input features
     * @param outFeatures output features
     * @param weight {@code [outFeatures, inFeatures]}
     * @param bias {@code [outFeatures]}, or {@code null} when the layer has none
     */
    record Dense(int inFeatures, int outFeatures, float[] weight, float[] bias)
            implements GeneratorLayer {
        public Dense {
            requirePositive("inFeatures", inFeatures);
            requirePositive("outFeatures", outFeatures);
            requireLength("Dense weight", weight, (long) inFeatures * outFeatures);
            if (bias != null) {
                requireLength("Dense bias", bias, outFeatures);
            }
        }
    }

    /**
     * Square 2-D convolution (cross-correlation, as in PyTorch and ONNX) with symmetric padding.
     *
     * @param inChannels input channels
     * @param outChannels output channels
     * @param kernel kernel height and width
     * @param stride stride on both axes
     * @param padding zero padding on every side
     * @param weight {@code [outChannels, inChannels, kernel, kernel]}
     * @param bias {@code [outChannels]}, or {@code null} when the layer has none
     */
    record Conv(
            int inChannels,
            int outChannels,
            int kernel,
            int stride,
            int padding,
            float[] weight,
            float[] bias)
            implements GeneratorLayer {
        public Conv {
            requirePositive("inChannels", inChannels);
            requirePositive("outChannels", outChannels);
            requirePositive("kernel", kernel);
            requirePositive("stride", stride);
            if (padding < 0) {
                throw new IllegalArgumentException(
                        "Conv padding must be 0 or more, but was " + padding + ".");
            }
            requireLength("Conv weight", weight, (long) outChannels * inChannels * kernel * kernel);
            if (bias != null) {
                requireLength("Conv bias", bias, outChannels);
            }
        }
    }

    /**
     * Batch normalisation over axis 1 using running statistics: {@code (x - mean) / sqrt(var +
     * epsilon) * gamma + beta}.
     */
    record BatchNorm(
            int channels, float[] gamma, float[] beta, float[] mean, float[] variance, float epsilon)
            implements GeneratorLayer {
        public BatchNorm {
            requirePositive("channels", channels);
            requireLength("BatchNorm gamma", gamma, channels);
            requireLength("BatchNorm beta", beta, channels);
            requireLength("BatchNorm mean", mean, channels);
            requireLength("BatchNorm variance", variance, channels);
            if (!(epsilon > 0f)) {
                throw new IllegalArgumentException(
                        "BatchNorm epsilon must be positive, but was " + epsilon + ".");
            }
        }
    }

    /**
     * The first layer of a conditional generator: appends the embedding of the sample's class label (a second
     * graph input, int64 {@code [N]}) to z, giving {@code [noiseDim + dim]} per sample.
     *
     * @param classes number of labels, 0 to {@code classes - 1}
     * @param dim embedding length
     * @param table {@code [classes, dim]}
     */
    record LabelEmbedding(int classes, int dim, float[] table) implements GeneratorLayer {
        public LabelEmbedding {
            requirePositive("classes", classes);
            requirePositive("dim", dim);
            requireLength("LabelEmbedding table", table, (long) classes * dim);
        }
    }

    /** Element-wise {@code max(x, 0)}. */
    record Relu() implements GeneratorLayer {}

    /** Element-wise hyperbolic tangent. */
    record Tanh() implements GeneratorLayer {}

    /** Nearest-neighbour upsampling of the two spatial axes by an integer factor. */
    record NearestUpsample(int factor) implements GeneratorLayer {
        public NearestUpsample {
            requirePositive("factor", factor);
        }
    }

    /**
     * Reshape that keeps the batch axis and gives each sample the shape {@code perSampleShape}.
     */
    record Reshape(long[] perSampleShape) implements GeneratorLayer {
        public Reshape {
            if (perSampleShape.length == 0) {
                throw new IllegalArgumentException(
                        "Reshape needs at least one per-sample dimension; pass e.g. {channels, h, w}.");
            }
            for (long d : perSampleShape) {
                if (d < 1) {
                    throw new IllegalArgumentException(
                            "Reshape dimensions must be positive, but one was " + d + ".");
                }
            }
        }
    }

    private static void requirePositive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, but was " + value + ".");
        }
    }

    private static void requireLength(String what, float[] values, long expected) {
        if (values == null || values.length != expected) {
            throw new IllegalArgumentException(
                    what + " must hold " + expected + " values, but holds "
                            + (values == null ? "none (null)" : values.length)
                            + "; read it from the matching parameter.");
        }
    }
}
