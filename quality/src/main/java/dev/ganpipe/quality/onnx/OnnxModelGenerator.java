package dev.ganpipe.quality.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.model.ModelMetadata;
import dev.ganpipe.quality.Generator;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A generator model file: input {@code z} float32 {@code [N, nz]} (and, for a conditional model, {@code label}
 * int64 {@code [N]}), output {@code image} float32 {@code [N, C, H, W]} in [-1, 1]. The image shape comes from the
 * output's declared dimensions, or else from the {@code image_shape} metadata property the trainer writes; the
 * noise length from {@code z}'s second dimension, or else {@code noise_dim}. Not for concurrent use.
 */
public final class OnnxModelGenerator implements Generator, AutoCloseable {

    static final String NOISE = "z";
    static final String LABEL = "label";
    static final String IMAGE = "image";

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final String description;
    private final ImageShape shape;
    private final int noiseDim;
    private final boolean conditional;

    private OnnxModelGenerator(OrtEnvironment environment, OrtSession session, String description, ImageShape shape, int noiseDim,
            boolean conditional) {
        this.environment = environment;
        this.session = session;
        this.description = description;
        this.shape = shape;
        this.noiseDim = noiseDim;
        this.conditional = conditional;
    }

    /**
     * Loads a model file.
     *
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException when it is not a generator ONNX Runtime can run, saying what is wrong
     */
    public static OnnxModelGenerator load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("There is no model file at " + file.toAbsolutePath()
                    + "; pass a generator .onnx file, e.g. one from the trainer's models directory.");
        }
        byte[] bytes = Files.readAllBytes(file);
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            session = environment.createSession(bytes, options);
        } catch (OrtException e) {
            throw new IllegalArgumentException(file + " is not a model ONNX Runtime can load: " + e.getMessage(), e);
        }
        try {
            return describe(file, environment, session);
        } catch (OrtException e) {
            closeAfter(session, e);
            throw new IllegalArgumentException("ONNX Runtime cannot describe " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeAfter(session, e);
            throw e;
        }
    }

    private static OnnxModelGenerator describe(Path file, OrtEnvironment environment, OrtSession session) throws OrtException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        Map<String, String> metadata = session.getMetadata().getCustomMetadata();
        if (!inputs.containsKey(NOISE) || !outputs.containsKey(IMAGE)) {
            throw new IllegalArgumentException(file + " has inputs " + inputs.keySet() + " and outputs " + outputs.keySet() + ", but a generator "
                    + "has an input '" + NOISE + "' (float32 [N, nz]) and an output '" + IMAGE + "' (float32 [N, C, H, W]); export it with the trainer.");
        }
        long[] z = tensor(file, inputs.get(NOISE), 2).getShape();
        long[] image = tensor(file, outputs.get(IMAGE), 4).getShape();
        int noiseDim = z[1] > 0 ? Math.toIntExact(z[1]) : metadata(metadata, ModelMetadata.NOISE_DIM).map(Integer::parseInt).orElseThrow(() ->
                new IllegalArgumentException(file + " leaves the noise length open and has no '" + ModelMetadata.NOISE_DIM
                        + "' metadata; export it with the trainer."));
        ImageShape shape = image[1] > 0 && image[2] > 0 && image[3] > 0
                ? new ImageShape(Math.toIntExact(image[3]), Math.toIntExact(image[2]), Math.toIntExact(image[1]))
                : metadata(metadata, ModelMetadata.IMAGE_SHAPE).map(ImageShape::parse).orElseThrow(() -> new IllegalArgumentException(file
                        + " leaves the image shape open and has no '" + ModelMetadata.IMAGE_SHAPE + "' metadata; export it with the trainer."));
        String step = metadata.get(ModelMetadata.STEP);
        String description = file.getFileName() + (step == null ? "" : " (step " + step + ")");
        return new OnnxModelGenerator(environment, session, description, shape, noiseDim, inputs.containsKey(LABEL));
    }

    private static void closeAfter(OrtSession session, Exception primary) {
        try {
            session.close();
        } catch (OrtException closing) {
            primary.addSuppressed(closing);
        }
    }

    private static TensorInfo tensor(Path file, NodeInfo node, int rank) {
        if (!(node.getInfo() instanceof TensorInfo info) || info.type != OnnxJavaType.FLOAT || info.getShape().length != rank) {
            throw new IllegalArgumentException("'" + node.getName() + "' of " + file + " must be a float32 tensor of rank " + rank + ", but is "
                    + node.getInfo() + "; export the generator with the trainer.");
        }
        return info;
    }

    private static Optional<String> metadata(Map<String, String> metadata, String key) {
        String value = metadata.get(key);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(value.strip());
    }

    @Override
    public ImageShape shape() {
        return shape;
    }

    @Override
    public int noiseDim() {
        return noiseDim;
    }

    @Override
    public boolean conditional() {
        return conditional;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public float[] generate(float[] z, int count) {
        if (conditional) {
            throw new IllegalStateException(description + " is conditional; call generate(z, labels, count).");
        }
        return run(z, null, count);
    }

    @Override
    public float[] generate(float[] z, int[] labels, int count) {
        if (!conditional) {
            throw new IllegalStateException(description + " is unconditional; call generate(z, count).");
        }
        if (labels.length != count) {
            throw new IllegalArgumentException(count + " images need " + count + " labels, but " + labels.length + " were given.");
        }
        return run(z, labels, count);
    }

    private float[] run(float[] z, int[] labels, int count) {
        if (count < 1 || z.length != (long) count * noiseDim) {
            throw new IllegalArgumentException(count + " images need " + (long) count * noiseDim + " noise values (count >= 1), but got " + z.length + ".");
        }
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put(NOISE, OnnxTensor.createTensor(environment, FloatBuffer.wrap(z), new long[] {count, noiseDim}));
            if (labels != null) {
                inputs.put(LABEL, OnnxTensor.createTensor(environment, LongBuffer.wrap(Arrays.stream(labels).asLongStream().toArray()),
                        new long[] {count}));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                OnnxValue value = result.get(IMAGE).orElseThrow(() -> new IllegalStateException(description + " produced no '" + IMAGE + "' output."));
                if (!(value instanceof OnnxTensor out)) {
                    throw new IllegalStateException(description + "'s '" + IMAGE + "' output is not a tensor.");
                }
                long[] want = {count, shape.channels(), shape.height(), shape.width()};
                if (!Arrays.equals(want, out.getInfo().getShape())) {
                    throw new IllegalStateException(description + " produced " + Arrays.toString(out.getInfo().getShape()) + " but "
                            + Arrays.toString(want) + " was expected.");
                }
                FloatBuffer buffer = out.getFloatBuffer();
                float[] images = new float[buffer.remaining()];
                buffer.get(images);
                return images;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to run " + description + ": " + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not close the session of " + description + ": " + e.getMessage(), e);
        }
    }
}
