package dev.ganpipe.common.model.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.ganpipe.common.Json;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.model.ModelMetadata;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A generator model's signature as ONNX Runtime describes it, read and checked once for every service that runs
 * models (DESIGN.md, "Model file"): input {@value #NOISE_INPUT} float32 {@code [N, nz]}, for a conditional generator
 * also {@value #LABEL_INPUT} int64 {@code [N]}, output {@value #IMAGE_OUTPUT} float32 {@code [N, C, H, W]}; the noise
 * width and image shape from the declared dimensions or else from the metadata the trainer writes; a conditional
 * generator's classes named in {@value ModelMetadata#CLASS_NAMES} or counted in {@value ModelMetadata#NUM_CLASSES}.
 * Every refusal is an {@link InvalidModelException} whose sentence says what to do.
 */
public final class GeneratorSignature {

    private static final String NOISE_INPUT = GeneratorTensors.NOISE_INPUT;
    private static final String LABEL_INPUT = GeneratorTensors.LABEL_INPUT;
    private static final String IMAGE_OUTPUT = GeneratorTensors.IMAGE_OUTPUT;
    private static final String CONFIDENCE_OUTPUT = GeneratorTensors.CONFIDENCE_OUTPUT;
    /** Most classes a conditional generator may have (labels must stay a small, listable set). */
    public static final int MAX_CLASSES = 1000;

    private final Set<String> inputNames;
    private final long[] noiseDims;
    private final long[] imageDims;
    private final boolean conditional;
    private final boolean confidence;
    private final Map<String, String> metadata;

    private GeneratorSignature(Set<String> inputNames, long[] noiseDims, long[] imageDims, boolean conditional, boolean confidence,
            Map<String, String> metadata) {
        this.inputNames = Set.copyOf(inputNames);
        this.noiseDims = noiseDims;
        this.imageDims = imageDims;
        this.conditional = conditional;
        this.confidence = confidence;
        this.metadata = Map.copyOf(metadata);
    }

    /**
     * Reads and checks a session's inputs, outputs and metadata: {@value #NOISE_INPUT} float32 of rank 2, for a
     * conditional model {@value #LABEL_INPUT} int64 of rank 1, {@value #IMAGE_OUTPUT} float32 of rank 4.
     *
     * @throws InvalidModelException saying what is wrong with the model
     */
    public static GeneratorSignature read(OrtSession session) {
        Map<String, NodeInfo> inputs;
        Map<String, NodeInfo> outputs;
        Map<String, String> metadata;
        try {
            inputs = session.getInputInfo();
            outputs = session.getOutputInfo();
        } catch (OrtException e) {
            throw new InvalidModelException("ONNX Runtime cannot describe the model's inputs and outputs: " + e.getMessage(), e);
        }
        try {
            metadata = session.getMetadata().getCustomMetadata();
        } catch (OrtException e) {
            throw new InvalidModelException("ONNX Runtime cannot read the model's metadata: " + e.getMessage(), e);
        }
        if (!inputs.containsKey(NOISE_INPUT)) {
            throw inputsRefused(inputs.keySet());
        }
        boolean conditional = inputs.containsKey(LABEL_INPUT);
        if (conditional) {
            TensorInfo label = tensor(inputs.get(LABEL_INPUT));
            if (label.type != OnnxJavaType.INT64 || label.getShape().length != 1) {
                throw new InvalidModelException("Input '" + LABEL_INPUT + "' must be int64 of rank 1 [N], but is " + label.type
                        + " " + Arrays.toString(label.getShape()) + ".");
            }
        }
        if (!outputs.containsKey(IMAGE_OUTPUT)) {
            throw new InvalidModelException("A generator has an output '" + IMAGE_OUTPUT + "' (float32 [N, C, H, W]), but this model has "
                    + outputs.keySet() + "; export it with the trainer.");
        }
        TensorInfo z = tensor(inputs.get(NOISE_INPUT));
        if (z.type != OnnxJavaType.FLOAT || z.getShape().length != 2) {
            throw new InvalidModelException("Input '" + NOISE_INPUT + "' must be float32 of rank 2 [N, nz], but is " + z.type
                    + " " + Arrays.toString(z.getShape()) + ".");
        }
        TensorInfo image = tensor(outputs.get(IMAGE_OUTPUT));
        if (image.type != OnnxJavaType.FLOAT || image.getShape().length != 4) {
            throw new InvalidModelException("Output '" + IMAGE_OUTPUT + "' must be float32 of rank 4 [N, C, H, W], but is " + image.type
                    + " " + Arrays.toString(image.getShape()) + ".");
        }
        boolean confidence = outputs.containsKey(CONFIDENCE_OUTPUT);
        if (confidence) {
            TensorInfo scores = tensor(outputs.get(CONFIDENCE_OUTPUT));
            if (!conditional || scores.type != OnnxJavaType.FLOAT || scores.getShape().length != 1) {
                throw new InvalidModelException("Output '" + CONFIDENCE_OUTPUT + "' must be float32 of rank 1 [N] on a conditional generator, but is "
                        + scores.type + " " + Arrays.toString(scores.getShape()) + (conditional ? "" : " on an unconditional one")
                        + "; export the model with the trainer.");
            }
        }
        return new GeneratorSignature(inputs.keySet(), z.getShape(), image.getShape(), conditional, confidence, metadata);
    }

    /**
     * Refuses a model with inputs beyond the generator's own: a server feeds only those, so any other input would
     * fail every request.
     */
    public GeneratorSignature requireOnlyGeneratorInputs() {
        if (!inputNames.equals(conditional ? Set.of(NOISE_INPUT, LABEL_INPUT) : Set.of(NOISE_INPUT))) {
            throw inputsRefused(inputNames);
        }
        return this;
    }

    /** Refuses a model whose declared noise width differs from the one its manifest gives. */
    public GeneratorSignature requireNoiseDim(int manifestNoiseDim) {
        long nz = noiseDims[1];
        if (nz > 0 && nz != manifestNoiseDim) {
            throw new InvalidModelException("Input '" + NOISE_INPUT + "' is [N, " + nz + "] but the manifest says the noise has "
                    + manifestNoiseDim + " values; the manifest and the model disagree.");
        }
        return this;
    }

    /**
     * Whether the model ships its classifier: an output {@value #CONFIDENCE_OUTPUT} giving each image's confidence for
     * its requested label.
     */
    public boolean hasConfidence() {
        return confidence;
    }

    /** Whether the generator takes a label per image. */
    public boolean conditional() {
        return conditional;
    }

    /**
     * The noise width: {@value #NOISE_INPUT}'s declared second dimension, else the {@value ModelMetadata#NOISE_DIM}
     * metadata.
     *
     * @throws InvalidModelException when the model gives neither
     */
    public int noiseDim() {
        if (noiseDims[1] > 0) {
            return Math.toIntExact(noiseDims[1]);
        }
        String text = metadata(ModelMetadata.NOISE_DIM).orElseThrow(() -> new InvalidModelException("The model leaves the noise length "
                + "open and has no '" + ModelMetadata.NOISE_DIM + "' metadata; export it with the trainer, or pass its manifest beside it."));
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new InvalidModelException("Metadata property '" + ModelMetadata.NOISE_DIM + "' must be a whole number, but is '" + text + "'.", e);
        }
    }

    /**
     * The image shape: {@value #IMAGE_OUTPUT}'s declared {@code [C, H, W]}, else the {@value ModelMetadata#IMAGE_SHAPE}
     * metadata.
     *
     * @throws InvalidModelException when the model gives neither
     */
    public ImageShape shape() {
        if (imageDims[1] > 0 && imageDims[2] > 0 && imageDims[3] > 0) {
            return new ImageShape(Math.toIntExact(imageDims[3]), Math.toIntExact(imageDims[2]), Math.toIntExact(imageDims[1]));
        }
        String text = metadata(ModelMetadata.IMAGE_SHAPE).orElseThrow(() -> new InvalidModelException("The model's '" + IMAGE_OUTPUT + "' "
                + Arrays.toString(imageDims) + " leaves the image shape open and it has no '" + ModelMetadata.IMAGE_SHAPE
                + "' metadata; export it with the trainer, or pass its manifest beside it."));
        try {
            return ImageShape.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidModelException("Metadata property '" + ModelMetadata.IMAGE_SHAPE + "' is no image shape: " + e.getMessage(), e);
        }
    }

    /** The training step the model was exported at ({@value ModelMetadata#STEP}), when it says. */
    public Optional<String> step() {
        return metadata(ModelMetadata.STEP);
    }

    /**
     * A conditional generator's classes in label order: the names in {@value ModelMetadata#CLASS_NAMES} (a JSON array
     * or a comma-separated list), else the label numbers up to {@value ModelMetadata#NUM_CLASSES}; empty for an
     * unconditional generator.
     *
     * @throws InvalidModelException when a conditional model names or counts no classes, or too many
     */
    public List<String> classNames() {
        if (!conditional) {
            return List.of();
        }
        Optional<List<String>> named = Optional.ofNullable(metadata.get(ModelMetadata.CLASS_NAMES)).map(GeneratorSignature::parseClassNames);
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
        return List.copyOf(classes);
    }

    private Optional<String> metadata(String key) {
        String value = metadata.get(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
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

    private static InvalidModelException inputsRefused(Set<String> inputs) {
        return new InvalidModelException("A generator has the input '" + NOISE_INPUT + "' (float32 [N, nz]) and, when conditional, '"
                + LABEL_INPUT + "' (int64 [N]), but this model has " + inputs + "; export it with the trainer.");
    }

    private static TensorInfo tensor(NodeInfo node) {
        if (!(node.getInfo() instanceof TensorInfo info)) {
            throw new InvalidModelException("'" + node.getName() + "' must be a tensor, but is " + node.getInfo() + ".");
        }
        return info;
    }
}
