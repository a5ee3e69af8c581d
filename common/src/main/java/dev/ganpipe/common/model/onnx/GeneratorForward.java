package dev.ganpipe.common.model.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.ganpipe.common.image.ImageShape;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * One forward pass of a generator session, as every service that runs models makes it: {@code z} and, for a
 * conditional generator, {@code label} in; {@code image} out, checked against the expected shape. The callers check
 * their own arguments (counts, label ranges) first, with their own sentences.
 */
public final class GeneratorForward {

    private GeneratorForward() {
    }

    /**
     * Runs the generator.
     *
     * @param z at least {@code count * noiseDim} floats, row-major {@code [count, nz]}
     * @param labels at least {@code count} labels for a conditional generator; null for an unconditional one
     * @param shape the shape each image must have
     * @return {@code count * C * H * W} floats, NCHW, as the model produced them
     * @throws OrtException when ONNX Runtime fails
     * @throws IllegalStateException when the model's output is missing or has another shape
     */
    public static float[] run(OrtEnvironment environment, OrtSession session, float[] z, long[] labels, int count, int noiseDim,
            ImageShape shape) throws OrtException {
        return forward(environment, session, z, labels, count, noiseDim, shape, false).images();
    }

    /**
     * Runs the generator and, when {@code withConfidence}, also fetches {@value GeneratorTensors#CONFIDENCE_OUTPUT}
     * (only ask a model whose signature {@link GeneratorSignature#hasConfidence has} it).
     *
     * @throws OrtException when ONNX Runtime fails
     * @throws IllegalStateException when an output is missing or has another shape
     */
    public static GeneratorOutput forward(OrtEnvironment environment, OrtSession session, float[] z, long[] labels, int count,
            int noiseDim, ImageShape shape, boolean withConfidence) throws OrtException {
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put(GeneratorTensors.NOISE_INPUT, OnnxTensor.createTensor(environment, FloatBuffer.wrap(z, 0, count * noiseDim),
                    new long[] {count, noiseDim}));
            if (labels != null) {
                inputs.put(GeneratorTensors.LABEL_INPUT, OnnxTensor.createTensor(environment, LongBuffer.wrap(labels, 0, count),
                        new long[] {count}));
            }
            Set<String> wanted = withConfidence
                    ? Set.of(GeneratorTensors.IMAGE_OUTPUT, GeneratorTensors.CONFIDENCE_OUTPUT)
                    : Set.of(GeneratorTensors.IMAGE_OUTPUT);
            try (OrtSession.Result result = session.run(inputs, wanted)) {
                String output = GeneratorTensors.IMAGE_OUTPUT;
                OnnxValue value = result.get(output).orElseThrow(() -> new IllegalStateException(
                        "The model produced no '" + output + "' output."));
                if (!(value instanceof OnnxTensor out)) {
                    throw new IllegalStateException("The model's '" + output + "' output is not a tensor.");
                }
                long[] want = {count, shape.channels(), shape.height(), shape.width()};
                long[] got = out.getInfo().getShape();
                if (!Arrays.equals(want, got)) {
                    throw new IllegalStateException("The model's '" + output + "' output has shape " + Arrays.toString(got)
                            + " but " + Arrays.toString(want) + " was expected for image shape " + shape + ".");
                }
                return new GeneratorOutput(floats(out), withConfidence ? confidences(result, count) : null);
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private static float[] confidences(OrtSession.Result result, int count) {
        String output = GeneratorTensors.CONFIDENCE_OUTPUT;
        OnnxValue value = result.get(output).orElseThrow(() -> new IllegalStateException("The model produced no '" + output + "' output."));
        if (!(value instanceof OnnxTensor out) || !Arrays.equals(out.getInfo().getShape(), new long[] {count})) {
            throw new IllegalStateException("The model's '" + output + "' output is not a float tensor of shape [" + count + "].");
        }
        return floats(out);
    }

    /**
     * A float tensor's values in a Java array. ONNX Runtime's {@code getFloatBuffer()} already copies them out of native
     * memory into a fresh heap buffer of exactly their length, which nothing else holds: its array is the answer, and a
     * second copy (200 KiB per 64 Fashion-MNIST images) would be one the encoder does not need.
     */
    static float[] floats(OnnxTensor tensor) {
        FloatBuffer buffer = tensor.getFloatBuffer();
        if (buffer.hasArray() && buffer.arrayOffset() == 0 && buffer.position() == 0 && buffer.remaining() == buffer.array().length) {
            return buffer.array();
        }
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
    }
}
