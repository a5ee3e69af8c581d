package dev.ganpipe.generator.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.ganpipe.common.Closeables;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.model.onnx.GeneratorForward;
import dev.ganpipe.common.model.onnx.GeneratorOutput;
import dev.ganpipe.common.model.onnx.GeneratorSignature;
import dev.ganpipe.common.model.onnx.GeneratorTensors;
import dev.ganpipe.common.model.onnx.InvalidModelException;
import dev.ganpipe.common.model.Noise;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One generator model in an ONNX Runtime session: input {@code z} float32 {@code [N, nz]}, output {@code image}
 * float32 {@code [N, C, H, W]} in [-1, 1] (DESIGN.md, "Model file"). A conditional generator also takes
 * {@code label} int64 {@code [N]} and names or counts its classes in the metadata; {@link GeneratorSignature} reads
 * and checks all of that, as it does for the quality evaluator. {@link #load}
 * validates the model with a test forward pass before anyone is served from it. {@link #generate} is thread-safe;
 * {@link #close} must not race a forward pass, which is why the registry reference-counts generators.
 */
public final class OnnxGenerator implements AutoCloseable {

    /** The noise input's name. */
    public static final String INPUT = GeneratorTensors.NOISE_INPUT;
    /** The label input of a conditional generator: int64 {@code [N]}. */
    public static final String LABEL_INPUT = GeneratorTensors.LABEL_INPUT;
    /** The image output's name. */
    public static final String OUTPUT = GeneratorTensors.IMAGE_OUTPUT;
    /** Images in the test forward pass run on load. */
    static final int PROBE_BATCH = 2;

    private final OrtSessionFactory factory;
    private final OrtSession session;
    private final int noiseDim;
    private final ImageShape shape;
    // Empty for an unconditional generator; for a conditional one, one name per label (the label's number
    // when the model names no classes).
    private final List<String> classNames;
    // Whether the model ships its classifier (output label_confidence), so each image gets its confidence.
    private final boolean confidence;
    private final AtomicBoolean closed = new AtomicBoolean();

    private OnnxGenerator(OrtSessionFactory factory, OrtSession session, int noiseDim, ImageShape shape, List<String> classNames,
            boolean confidence) {
        this.factory = factory;
        this.session = session;
        this.noiseDim = noiseDim;
        this.shape = shape;
        this.classNames = List.copyOf(classNames);
        this.confidence = confidence;
    }

    /**
     * Loads and validates a generator: the signature {@link GeneratorSignature} reads, no inputs beyond the
     * generator's, {@code z} whose width matches {@code noiseDim}, for a conditional model its classes in the
     * metadata, and a forward pass at batch 2 that gives {@code [2, C, H, W]} of {@code shape} with finite values.
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
            GeneratorSignature signature = GeneratorSignature.read(session).requireOnlyGeneratorInputs().requireNoiseDim(noiseDim);
            OnnxGenerator generator = new OnnxGenerator(factory, session, noiseDim, shape, signature.classNames(),
                    signature.hasConfidence());
            generator.probe();
            return generator;
        } catch (RuntimeException e) {
            Closeables.closeAfter(session, e);
            throw e;
        }
    }

    /**
     * What a model file says about itself when no manifest is at hand (e.g. a benchmark given only an ONNX file):
     * the noise width from {@code z [N, nz]} and the image shape from {@code image [N, C, H, W]}, or from the
     * metadata the trainer writes where the graph leaves them open.
     *
     * @throws InvalidModelException when ONNX Runtime refuses the model or it gives neither
     */
    public static Signature inspect(OrtSessionFactory factory, byte[] onnx) {
        try (OrtSession session = factory.create(onnx)) {
            GeneratorSignature signature = GeneratorSignature.read(session);
            return new Signature(signature.noiseDim(), signature.shape());
        } catch (OrtException e) {
            throw new InvalidModelException("ONNX Runtime refused the model: " + e.getMessage(), e);
        }
    }

    /**
     * A generator's noise width and image shape.
     *
     * @param noiseDim the width of {@code z}
     * @param shape the shape of each image
     */
    public record Signature(int noiseDim, ImageShape shape) {
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

    /** Whether the generator takes a class label per image. */
    public boolean conditional() {
        return !classNames.isEmpty();
    }

    /** A conditional generator's class names in label order (label {@code i} is {@code classNames().get(i)}); empty otherwise. */
    public List<String> classNames() {
        return classNames;
    }

    /**
     * Whether the model ships its classifier: then {@link #forward} gives each image's confidence for its label
     * (DESIGN.md, "Model file", {@code label_confidence}).
     */
    public boolean hasConfidence() {
        return confidence;
    }

    /**
     * Runs an unconditional generator on {@code count} rows of noise.
     *
     * @param z at least {@code count * noiseDim()} floats, row-major {@code [count, nz]}
     * @return {@code count * C * H * W} floats, NCHW, as the model produced them
     * @throws IllegalStateException when ONNX Runtime fails or the output has the wrong shape
     */
    public float[] generate(float[] z, int count) {
        return generate(z, null, count);
    }

    /**
     * Runs the generator on {@code count} rows of noise and, for a conditional generator, one label per row.
     *
     * @param z at least {@code count * noiseDim()} floats, row-major {@code [count, nz]}
     * @param labels for a conditional generator at least {@code count} labels in {@code [0, classNames().size())};
     *     null for an unconditional one
     * @return {@code count * C * H * W} floats, NCHW, as the model produced them
     * @throws IllegalArgumentException when the labels do not fit the model
     * @throws IllegalStateException when ONNX Runtime fails or the output has the wrong shape
     */
    public float[] generate(float[] z, long[] labels, int count) {
        return forward(z, labels, count).images();
    }

    /**
     * As {@link #generate(float[], long[], int)}, with each image's confidence for its label when the model
     * {@link #hasConfidence has} a classifier.
     */
    public GeneratorOutput forward(float[] z, long[] labels, int count) {
        if (count < 1 || z.length < (long) count * noiseDim) {
            throw new IllegalArgumentException("Generating " + count + " images needs at least " + ((long) count * noiseDim)
                    + " noise values and count >= 1, but got " + z.length + " values.");
        }
        checkLabels(labels, count);
        if (closed.get()) {
            throw new IllegalStateException("This generator was closed; acquire the live model from the registry again.");
        }
        try {
            return GeneratorForward.forward(factory.environment(), session, z, labels, count, noiseDim, shape, confidence);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to run the generator: " + e.getMessage(), e);
        }
    }

    private void checkLabels(long[] labels, int count) {
        if (!conditional()) {
            if (labels != null) {
                throw new IllegalArgumentException("This generator is unconditional; it takes no labels.");
            }
            return;
        }
        if (labels == null || labels.length < count) {
            throw new IllegalArgumentException("This generator is conditional: generating " + count + " images needs " + count
                    + " labels, but got " + (labels == null ? "none" : labels.length) + ".");
        }
        for (int i = 0; i < count; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new IllegalArgumentException("Label " + labels[i] + " is not one of this generator's " + classNames.size()
                        + " classes (0 to " + (classNames.size() - 1) + ").");
            }
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

    /** The load-time test forward pass: right shape, finite values (for a conditional model, first and last class). */
    private void probe() {
        float[] out;
        try {
            long[] labels = conditional() ? new long[] {0, classNames.size() - 1} : null;
            out = generate(Noise.gaussian(0, PROBE_BATCH, noiseDim), labels, PROBE_BATCH);
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
}
