package dev.ganpipe.generator.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.ganpipe.common.Json;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.model.ModelMetadata;
import dev.ganpipe.common.model.Noise;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One generator model in an ONNX Runtime session: input {@code z} float32 {@code [N, nz]}, output {@code image}
 * float32 {@code [N, C, H, W]} in [-1, 1] (DESIGN.md, "Model file"). A conditional generator also takes
 * {@code label} int64 {@code [N]} and names its classes in the metadata property {@value ModelMetadata#CLASS_NAMES}
 * (a JSON array or a comma-separated list) or counts them in {@value ModelMetadata#NUM_CLASSES}. {@link #load}
 * validates the model with a test forward pass before anyone is served from it. {@link #generate} is thread-safe;
 * {@link #close} must not race a forward pass, which is why the registry reference-counts generators.
 */
public final class OnnxGenerator implements AutoCloseable {

    /** The noise input's name. */
    public static final String INPUT = "z";
    /** The label input of a conditional generator: int64 {@code [N]}. */
    public static final String LABEL_INPUT = "label";
    /** The image output's name. */
    public static final String OUTPUT = "image";
    /** Images in the test forward pass run on load. */
    static final int PROBE_BATCH = 2;
    /** Most classes a conditional generator may have (labels must stay a small, listable set). */
    public static final int MAX_CLASSES = 1000;

    private final OrtSessionFactory factory;
    private final OrtSession session;
    private final int noiseDim;
    private final ImageShape shape;
    // Empty for an unconditional generator; for a conditional one, one name per label (the label's number
    // when the model names no classes).
    private final List<String> classNames;
    private final AtomicBoolean closed = new AtomicBoolean();

    private OnnxGenerator(OrtSessionFactory factory, OrtSession session, int noiseDim, ImageShape shape, List<String> classNames) {
        this.factory = factory;
        this.session = session;
        this.noiseDim = noiseDim;
        this.shape = shape;
        this.classNames = List.copyOf(classNames);
    }

    /**
     * Loads and validates a generator: {@code z} of rank 2 whose width matches {@code noiseDim}, {@code image} of
     * rank 4, for a conditional model {@code label} int64 of rank 1 and its classes in the metadata, and a forward
     * pass at batch 2 that gives {@code [2, C, H, W]} of {@code shape} with finite values.
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
            boolean conditional = checkSignature(session, noiseDim);
            List<String> classes = conditional ? classNames(session) : List.of();
            OnnxGenerator generator = new OnnxGenerator(factory, session, noiseDim, shape, classes);
            generator.probe();
            return generator;
        } catch (RuntimeException e) {
            closeQuietlyAfter(session, e);
            throw e;
        }
    }

    /**
     * What a model file says about itself when no manifest is at hand (e.g. a benchmark given only an ONNX file):
     * the noise width from {@code z [N, nz]} and the image shape from {@code image [N, C, H, W]}.
     *
     * @throws InvalidModelException when ONNX Runtime refuses the model or its dimensions are not fixed
     */
    public static Signature inspect(OrtSessionFactory factory, byte[] onnx) {
        try (OrtSession session = factory.create(onnx)) {
            NodeInfo input = session.getInputInfo().get(INPUT);
            NodeInfo output = session.getOutputInfo().get(OUTPUT);
            if (input == null || output == null) {
                throw new InvalidModelException("The model lacks the input '" + INPUT + "' or the output '" + OUTPUT
                        + "' of a generator; export it with the trainer.");
            }
            long[] z = tensor(input).getShape();
            long[] image = tensor(output).getShape();
            if (z.length != 2 || z[1] < 1 || image.length != 4 || image[1] < 1 || image[2] < 1 || image[3] < 1) {
                throw new InvalidModelException("The model's '" + INPUT + "' " + Arrays.toString(z) + " and '" + OUTPUT + "' "
                        + Arrays.toString(image) + " do not give a fixed noise width and image shape; pass its manifest (JSON) beside it.");
            }
            return new Signature((int) z[1], new ImageShape((int) image[3], (int) image[2], (int) image[1]));
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
        if (count < 1 || z.length < (long) count * noiseDim) {
            throw new IllegalArgumentException("Generating " + count + " images needs at least " + ((long) count * noiseDim)
                    + " noise values and count >= 1, but got " + z.length + " values.");
        }
        checkLabels(labels, count);
        if (closed.get()) {
            throw new IllegalStateException("This generator was closed; acquire the live model from the registry again.");
        }
        FloatBuffer input = FloatBuffer.wrap(z, 0, count * noiseDim);
        OnnxTensor labelTensor = null;
        try (OnnxTensor tensor = OnnxTensor.createTensor(factory.environment(), input, new long[] {count, noiseDim})) {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put(INPUT, tensor);
            if (labels != null) {
                labelTensor = OnnxTensor.createTensor(factory.environment(), LongBuffer.wrap(labels, 0, count), new long[] {count});
                inputs.put(LABEL_INPUT, labelTensor);
            }
            return run(inputs, count);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to run the generator: " + e.getMessage(), e);
        } finally {
            if (labelTensor != null) {
                labelTensor.close();
            }
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

    private float[] run(Map<String, OnnxTensor> inputs, int count) throws OrtException {
        try (OrtSession.Result result = session.run(inputs)) {
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

    /** Checks inputs and outputs; returns whether the generator is conditional. */
    private static boolean checkSignature(OrtSession session, int noiseDim) {
        Map<String, NodeInfo> inputs;
        Map<String, NodeInfo> outputs;
        try {
            inputs = session.getInputInfo();
            outputs = session.getOutputInfo();
        } catch (OrtException e) {
            throw new InvalidModelException("ONNX Runtime cannot describe the model's inputs and outputs: " + e.getMessage(), e);
        }
        boolean conditional = inputs.containsKey(LABEL_INPUT);
        if (!inputs.keySet().equals(conditional ? Set.of(INPUT, LABEL_INPUT) : Set.of(INPUT))) {
            throw new InvalidModelException("A generator has the input '" + INPUT + "' (float32 [N, nz]) and, when conditional, '"
                    + LABEL_INPUT + "' (int64 [N]), but this model has " + inputs.keySet() + "; export it with the trainer.");
        }
        if (conditional) {
            TensorInfo label = tensor(inputs.get(LABEL_INPUT));
            if (label.type != OnnxJavaType.INT64 || label.getShape().length != 1) {
                throw new InvalidModelException("Input '" + LABEL_INPUT + "' must be int64 of rank 1 [N], but is " + label.type
                        + " " + Arrays.toString(label.getShape()) + ".");
            }
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
        return conditional;
    }

    /** A conditional model's classes from its metadata: names when it has them, else the label numbers. */
    private static List<String> classNames(OrtSession session) {
        Map<String, String> metadata;
        try {
            metadata = session.getMetadata().getCustomMetadata();
        } catch (OrtException e) {
            throw new InvalidModelException("ONNX Runtime cannot read the model's metadata: " + e.getMessage(), e);
        }
        Optional<List<String>> named = Optional.ofNullable(metadata.get(ModelMetadata.CLASS_NAMES)).map(OnnxGenerator::parseClassNames);
        List<String> classes;
        if (named.isPresent()) {
            classes = named.get();
        } else if (metadata.containsKey(ModelMetadata.NUM_CLASSES)) {
            int count;
            try {
                count = Integer.parseInt(metadata.get(ModelMetadata.NUM_CLASSES).trim());
            } catch (NumberFormatException e) {
                throw new InvalidModelException("Metadata property '" + ModelMetadata.NUM_CLASSES + "' must be a whole number, but is '"
                        + metadata.get(ModelMetadata.NUM_CLASSES) + "'.", e);
            }
            classes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                classes.add(Integer.toString(i));
            }
        } else {
            throw new InvalidModelException("The model is conditional (it has a '" + LABEL_INPUT + "' input) but its metadata names no"
                    + " classes; export it with the metadata property '" + ModelMetadata.CLASS_NAMES + "' (e.g. [\"t-shirt\",\"trouser\"]) or '"
                    + ModelMetadata.NUM_CLASSES + "'.");
        }
        if (classes.isEmpty() || classes.size() > MAX_CLASSES) {
            throw new InvalidModelException("A conditional generator has 1 to " + MAX_CLASSES + " classes, but this model's metadata gives "
                    + classes.size() + ".");
        }
        return classes;
    }

    private static List<String> parseClassNames(String text) {
        String trimmed = text.trim();
        if (trimmed.startsWith("[")) {
            try {
                List<String> names = new ArrayList<>();
                Json.mapper().readTree(trimmed).forEach(node -> names.add(node.asText()));
                return names;
            } catch (IOException e) {
                throw new InvalidModelException("Metadata property '" + ModelMetadata.CLASS_NAMES + "' starts like a JSON array but is not one: "
                        + e.getMessage(), e);
            }
        }
        List<String> names = new ArrayList<>();
        for (String name : trimmed.split(",")) {
            names.add(name.trim());
        }
        return names;
    }

    private static TensorInfo tensor(NodeInfo node) {
        if (!(node.getInfo() instanceof TensorInfo info)) {
            throw new InvalidModelException("'" + node.getName() + "' must be a tensor, but is " + node.getInfo() + ".");
        }
        return info;
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

    private static void closeQuietlyAfter(OrtSession session, Exception primary) {
        try {
            session.close();
        } catch (OrtException e) {
            primary.addSuppressed(e);
        }
    }
}
