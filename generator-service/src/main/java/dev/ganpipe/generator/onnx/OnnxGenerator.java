package dev.ganpipe.generator.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.model.Noise;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One generator model in an ONNX Runtime session: input {@code z} float32 {@code [N, nz]}, output {@code image}
 * float32 {@code [N, C, H, W]} in [-1, 1] (DESIGN.md, "Model file"). {@link #load} validates the model with a test
 * forward pass before anyone is served from it. {@link #generate} is thread-safe; {@link #close} must not race a
 * forward pass, which is why the registry reference-counts generators.
 */
public final class OnnxGenerator implements AutoCloseable {

    /** The noise input's name. */
    public static final String INPUT = "z";
    /** The label input a conditional generator would have. */
    public static final String LABEL_INPUT = "label";
    /** The image output's name. */
    public static final String OUTPUT = "image";
    /** Images in the test forward pass run on load. */
    static final int PROBE_BATCH = 2;

    private final OrtSessionFactory factory;
    private final OrtSession session;
    private final int noiseDim;
    private final ImageShape shape;
    private final AtomicBoolean closed = new AtomicBoolean();

    private OnnxGenerator(OrtSessionFactory factory, OrtSession session, int noiseDim, ImageShape shape) {
        this.factory = factory;
        this.session = session;
        this.noiseDim = noiseDim;
        this.shape = shape;
    }

    /**
     * Loads and validates a generator: {@code z} of rank 2 whose width matches {@code noiseDim}, {@code image} of
     * rank 4, and a forward pass at batch 2 that gives {@code [2, C, H, W]} of {@code shape} with finite values.
     *
     * @throws InvalidModelException saying what is wrong with the model
     */
    public static OnnxGenerator load(OrtSessionFactory factory, byte[] onnx, ImageShape shape, int noiseDim) {
        OrtSession session;
        try {
            session = factory.create(onnx);
        } catch (OrtException e) {
            throw new InvalidModelException("ONNX Runtime refused the model: " + e.getMessage(), e);
        }
        try {
            int nz = checkSignature(session, noiseDim);
            OnnxGenerator generator = new OnnxGenerator(factory, session, nz, shape);
            generator.probe();
            return generator;
        } catch (RuntimeException e) {
            closeQuietlyAfter(session, e);
            throw e;
        }
    }

    /** The width of {@code z}. */
    public int noiseDim() {
        return noiseDim;
    }

    /** The shape of each generated image. */
    public ImageShape shape() {
        return shape;
    }

    /** Floats per generated image ({@code C * H * W}). */
    public int valuesPerImage() {
        return shape.values();
    }

    /**
     * Runs the generator on {@code count} rows of noise.
     *
     * @param z at least {@code count * noiseDim()} floats, row-major {@code [count, nz]}
     * @return {@code count * C * H * W} floats, NCHW, as the model produced them
     * @throws IllegalStateException when ONNX Runtime fails or the output has the wrong shape
     */
    public float[] generate(float[] z, int count) {
        if (count < 1 || z.length < (long) count * noiseDim) {
            throw new IllegalArgumentException("Generating " + count + " images needs at least " + ((long) count * noiseDim)
                    + " noise values and count >= 1, but got " + z.length + " values.");
        }
        if (closed.get()) {
            throw new IllegalStateException("This generator was closed; acquire the live model from the registry again.");
        }
        FloatBuffer input = FloatBuffer.wrap(z, 0, count * noiseDim);
        try (OnnxTensor tensor = OnnxTensor.createTensor(factory.environment(), input, new long[] {count, noiseDim});
             OrtSession.Result result = session.run(Map.of(INPUT, tensor))) {
            OnnxValue value = result.get(OUTPUT).orElseThrow(() -> new IllegalStateException(
                    "The model produced no '" + OUTPUT + "' output."));
            if (!(value instanceof OnnxTensor out)) {
                throw new IllegalStateException("The model's '" + OUTPUT + "' output is not a tensor.");
            }
            long[] want = {count, shape.channels(), shape.height(), shape.width()};
            long[] got = out.getInfo().getShape();
            if (!Arrays.equals(want, got)) {
                throw new IllegalStateException("The model's '" + OUTPUT + "' output has shape " + Arrays.toString(got)
                        + " but " + Arrays.toString(want) + " was expected for image shape " + shape + ".");
            }
            FloatBuffer buffer = out.getFloatBuffer();
            float[] images = new float[buffer.remaining()];
            buffer.get(images);
            return images;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to run the generator: " + e.getMessage(), e);
        }
    }

    /** Closes the session; safe to call twice. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                session.close();
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime could not close a generator session: " + e.getMessage(), e);
            }
        }
    }

    /** Whether {@link #close} has run. */
    public boolean isClosed() {
        return closed.get();
    }

    private static int checkSignature(OrtSession session, int noiseDim) {
        Map<String, NodeInfo> inputs;
        Map<String, NodeInfo> outputs;
        try {
            inputs = session.getInputInfo();
            outputs = session.getOutputInfo();
        } catch (OrtException e) {
            throw new InvalidModelException("ONNX Runtime cannot describe the model's inputs and outputs: " + e.getMessage(), e);
        }
        if (inputs.containsKey(LABEL_INPUT)) {
            throw new InvalidModelException("The model is conditional (it has a '" + LABEL_INPUT
                    + "' input); this service serves unconditional generators only for now.");
        }
        if (!inputs.keySet().equals(java.util.Set.of(INPUT))) {
            throw new InvalidModelException("A generator has exactly one input '" + INPUT + "' (float32 [N, nz]), but this model has "
                    + inputs.keySet() + "; export it with the trainer.");
        }
        if (!outputs.containsKey(OUTPUT)) {
            throw new InvalidModelException("A generator has an output '" + OUTPUT + "' (float32 [N, C, H, W]), but this model has "
                    + outputs.keySet() + "; export it with the trainer.");
        }
        TensorInfo z = tensor(inputs.get(INPUT));
        if (z.type != OnnxJavaType.FLOAT || z.getShape().length != 2) {
            throw new InvalidModelException("Input '" + INPUT + "' must be float32 of rank 2 [N, nz], but is " + z.type
                    + " " + Arrays.toString(z.getShape()) + ".");
        }
        long nz = z.getShape()[1];
        if (nz > 0 && nz != noiseDim) {
            throw new InvalidModelException("Input '" + INPUT + "' is [N, " + nz + "] but the manifest says the noise has "
                    + noiseDim + " values; the manifest and the model disagree.");
        }
        TensorInfo image = tensor(outputs.get(OUTPUT));
        if (image.type != OnnxJavaType.FLOAT || image.getShape().length != 4) {
            throw new InvalidModelException("Output '" + OUTPUT + "' must be float32 of rank 4 [N, C, H, W], but is " + image.type
                    + " " + Arrays.toString(image.getShape()) + ".");
        }
        return noiseDim;
    }

    private static TensorInfo tensor(NodeInfo node) {
        if (!(node.getInfo() instanceof TensorInfo info)) {
            throw new InvalidModelException("'" + node.getName() + "' must be a tensor, but is " + node.getInfo() + ".");
        }
        return info;
    }

    /** The load-time test forward pass: right shape, finite values. */
    private void probe() {
        float[] out;
        try {
            out = generate(Noise.gaussian(0, PROBE_BATCH, noiseDim), PROBE_BATCH);
        } catch (IllegalStateException e) {
            throw new InvalidModelException("The test forward pass at batch " + PROBE_BATCH + " failed: " + e.getMessage(), e);
        }
        for (int i = 0; i < out.length; i++) {
            if (!Float.isFinite(out[i])) {
                throw new InvalidModelException("The test forward pass produced " + out[i] + " at value " + i
                        + "; the model's weights are broken (diverged training?) and it will not be served.");
            }
        }
    }

    private static void closeQuietlyAfter(OrtSession session, Exception primary) {
        try {
            session.close();
        } catch (OrtException e) {
            primary.addSuppressed(e);
        }
    }
}
