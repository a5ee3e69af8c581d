package dev.ganpipe.quality.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.ganpipe.common.Closeables;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.model.onnx.GeneratorForward;
import dev.ganpipe.common.model.onnx.GeneratorOutput;
import dev.ganpipe.common.model.onnx.GeneratorSignature;
import dev.ganpipe.common.model.onnx.InvalidModelException;
import dev.ganpipe.quality.Generator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A generator model file: input {@code z} float32 {@code [N, nz]} (and, for a conditional model, {@code label}
 * int64 {@code [N]}), output {@code image} float32 {@code [N, C, H, W]} in [-1, 1]. The image shape comes from the
 * output's declared dimensions, or else from the {@code image_shape} metadata property the trainer writes; the
 * noise length from {@code z}'s second dimension, or else {@code noise_dim}: {@link GeneratorSignature} reads both,
 * as it does for the generator service. Not for concurrent use.
 */
public final class OnnxModelGenerator implements Generator, AutoCloseable {

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final String description;
    private final ImageShape shape;
    private final int noiseDim;
    private final boolean conditional;
    private final boolean confidence;

    private OnnxModelGenerator(OrtEnvironment environment, OrtSession session, String description, ImageShape shape, int noiseDim,
            boolean conditional, boolean confidence) {
        this.environment = environment;
        this.session = session;
        this.description = description;
        this.shape = shape;
        this.noiseDim = noiseDim;
        this.conditional = conditional;
        this.confidence = confidence;
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
        } catch (RuntimeException e) {
            Closeables.closeAfter(session, e);
            throw e;
        }
    }

    private static OnnxModelGenerator describe(Path file, OrtEnvironment environment, OrtSession session) {
        GeneratorSignature signature;
        ImageShape shape;
        int noiseDim;
        try {
            signature = GeneratorSignature.read(session);
            noiseDim = signature.noiseDim();
            shape = signature.shape();
        } catch (InvalidModelException e) {
            throw new InvalidModelException(file + ": " + e.getMessage(), e);
        }
        String description = file.getFileName() + signature.step().map(step -> " (step " + step + ")").orElse("");
        return new OnnxModelGenerator(environment, session, description, shape, noiseDim, signature.conditional(), signature.hasConfidence());
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

    /**
     * Whether the model ships its classifier (output {@code label_confidence}), as a conditional model from a trainer
     * run with {@code --quality-data} does, so {@link #generateScored} can say how confident it is of each image.
     */
    public boolean hasConfidence() {
        return confidence;
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
        return forward(z, null, count, false).images();
    }

    @Override
    public float[] generate(float[] z, int[] labels, int count) {
        if (!conditional) {
            throw new IllegalStateException(description + " is unconditional; call generate(z, count).");
        }
        return forward(z, labels, count, false).images();
    }

    /**
     * Images of requested classes with the shipped classifier's confidence for each image's label, as the generator
     * service gets them for {@code min_confidence}.
     *
     * @throws IllegalStateException when the model ships no classifier ({@link #hasConfidence()})
     */
    public GeneratorOutput generateScored(float[] z, int[] labels, int count) {
        if (!confidence) {
            throw new IllegalStateException(description + " ships no classifier, so it cannot score its images; use a conditional model "
                    + "exported by a trainer run with --quality-data.");
        }
        return forward(z, labels, count, true);
    }

    private GeneratorOutput forward(float[] z, int[] labels, int count, boolean withConfidence) {
        if (labels != null && labels.length != count) {
            throw new IllegalArgumentException(count + " images need " + count + " labels, but " + labels.length + " were given.");
        }
        if (count < 1 || z.length != (long) count * noiseDim) {
            throw new IllegalArgumentException(count + " images need " + (long) count * noiseDim + " noise values (count >= 1), but got " + z.length + ".");
        }
        try {
            return GeneratorForward.forward(environment, session, z, labels == null ? null : Arrays.stream(labels).asLongStream().toArray(), count,
                    noiseDim, shape, withConfidence);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to run " + description + ": " + e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(description + ": " + e.getMessage(), e);
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
