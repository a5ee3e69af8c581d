package dev.ganpipe.common.model;

/**
 * The keys of an exported generator's ONNX {@code metadata_props} (DESIGN.md, "Model file"): the trainer writes
 * them, the generator service and the quality evaluator read them back. They are a wire contract with every model
 * file already published, so their values never change; this class is their one definition.
 */
public final class ModelMetadata {

    /** The training step the generator was exported at, a whole number, e.g. {@code 1200}. */
    public static final String STEP = "step";
    /**
     * The generated images' shape as width x height x channels, e.g. {@code 28x28x1}; read when the graph leaves
     * the image dimensions open.
     */
    public static final String IMAGE_SHAPE = "image_shape";
    /** The noise length nz of input {@code z}, e.g. {@code 100}; read when the graph leaves it open. */
    public static final String NOISE_DIM = "noise_dim";
    /**
     * A conditional generator's class count, e.g. {@code 10}; {@code 0} for an unconditional one. Readers fall
     * back to it when {@link #CLASS_NAMES} is absent.
     */
    public static final String NUM_CLASSES = "num_classes";
    /**
     * A conditional generator's class names in label order, as a JSON array (e.g. {@code ["circle","square"]}) or a
     * comma-separated list. The trainer writes the comma-separated names the training data carried ({@code gan.classes}) or
     * {@code --classes} gave.
     */
    public static final String CLASS_NAMES = "class_names";
    /** Who wrote the model, e.g. {@code gan-pipeline trainer}; informational, read by no one. */
    public static final String PRODUCER = "producer";

    private ModelMetadata() {
    }
}
