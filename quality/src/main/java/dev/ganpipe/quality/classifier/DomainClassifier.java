package dev.ganpipe.quality.classifier;

import dev.ganpipe.quality.data.RealData;
import java.util.List;
import java.util.Objects;

/**
 * A trained domain classifier: penultimate-layer features and predicted classes of images. Inference only (no
 * gradient is ever recorded), so it may run on any thread, including between the GAN's training steps; calls are
 * serialised. Holds native memory until {@link #close()}.
 */
public final class DomainClassifier implements AutoCloseable {

    private final ClassifierNetwork network;
    private final List<String> classNames;
    private final ClassifierInfo info;

    DomainClassifier(ClassifierNetwork network, List<String> classNames, ClassifierInfo info) {
        this.network = Objects.requireNonNull(network, "network");
        this.classNames = List.copyOf(classNames);
        this.info = Objects.requireNonNull(info, "info");
        if (classNames.size() != network.architecture().classes()) {
            throw new IllegalArgumentException(classNames.size() + " class names for a classifier of " + network.architecture().classes() + " classes.");
        }
    }

    /** The layout. */
    public ClassifierArchitecture architecture() {
        return network.architecture();
    }

    /** The class names, index order. */
    public List<String> classNames() {
        return classNames;
    }

    /** How it was trained and where it is cached. */
    public ClassifierInfo info() {
        return info;
    }

    /**
     * Features and predicted classes of images.
     *
     * @param images {@code count * C * H * W} floats, NCHW, in [-1, 1], of {@link ClassifierArchitecture#input()}'s shape
     */
    public synchronized Features extract(float[] images, int count) {
        return network.extract(images, count);
    }

    /** Features and predicted classes of the images of {@code data} at {@code indices}, in that order. */
    public synchronized Features extract(RealData data, int[] indices) {
        requireShape(data);
        return network.extract(data, indices);
    }

    /** The share of {@code data}'s images whose predicted class is their label, 0..1. */
    public synchronized double accuracy(RealData data) {
        requireShape(data);
        return network.accuracy(data);
    }

    private void requireShape(RealData data) {
        if (!data.shape().equals(architecture().input())) {
            throw new IllegalArgumentException("This classifier reads " + architecture().input() + " images, but " + data.name() + " holds "
                    + data.shape() + " images; load the data at the classifier's shape.");
        }
        if (data.classCount() != architecture().classes()) {
            throw new IllegalArgumentException("This classifier knows " + architecture().classes() + " classes, but " + data.name() + " has "
                    + data.classCount() + "; evaluate with data of the same classes.");
        }
    }

    /**
     * This classifier as ONNX nodes to append to a conditional generator's model with
     * {@link dev.ganpipe.common.model.onnx.OnnxProto#extend}: they read the generator's {@code image} and {@code label}
     * and add the output {@code label_confidence}, float32 {@code [N]}, each image's softmax probability for its label
     * (DESIGN.md, "Model file").
     */
    public synchronized byte[] confidenceExtension() {
        return ClassifierOnnx.confidenceExtension(network);
    }

    /** Frees the native memory; further calls fail. */
    @Override
    public synchronized void close() {
        network.close();
    }
}
