package dev.ganpipe.quality.classifier;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.quality.data.RealData;
import dev.ganpipe.quality.metrics.FeatureSet;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;

/**
 * The classifier's DJL blocks and the native memory they live in: {@code features} (the convolution blocks and the
 * penultimate dense layer) followed by {@code head} (one logit per class), both children of one
 * {@link SequentialBlock} so that they save and load together. Not thread-safe; its owners serialise calls.
 */
final class ClassifierNetwork implements AutoCloseable {

    /** Images per inference forward. */
    static final int INFERENCE_BATCH = 256;
    /** Real images converted to floats at a time when extracting a data set's features. */
    private static final int CHUNK = 2048;

    private final ClassifierArchitecture architecture;
    private final NDManager manager;
    private final SequentialBlock network;
    private final Block features;
    private final Block head;
    private final ParameterStore store;
    private boolean closed;

    private ClassifierNetwork(ClassifierArchitecture architecture, NDManager manager, SequentialBlock network, Block features, Block head) {
        this.architecture = architecture;
        this.manager = manager;
        this.network = network;
        this.features = features;
        this.head = head;
        this.store = new ParameterStore(manager, false);
    }

    /** A new network with seeded He-normal weights, on the GPU when the engine sees one, else the CPU. */
    static ClassifierNetwork initialised(ClassifierArchitecture architecture, long seed) {
        Engine engine = TorchThreads.engine();
        TorchThreads.gradModeOff();
        NDManager manager = NDManager.newBaseManager(device(engine), TorchThreads.ENGINE);
        try {
            ClassifierNetwork net = build(architecture, manager);
            net.network.setInitializer(new SeededHeNormalInitializer(new Random(seed)), Parameter.Type.WEIGHT);
            ImageShape in = architecture.input();
            net.network.initialize(manager, DataType.FLOAT32, new Shape(1, in.channels(), in.height(), in.width()));
            return net;
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * A network with weights read from {@code in} (written by {@link #save}).
     *
     * @throws IOException when the stream is unreadable or does not hold this architecture's parameters
     */
    static ClassifierNetwork load(ClassifierArchitecture architecture, DataInputStream in) throws IOException {
        Engine engine = TorchThreads.engine();
        TorchThreads.gradModeOff();
        NDManager manager = NDManager.newBaseManager(device(engine), TorchThreads.ENGINE);
        try {
            ClassifierNetwork net = build(architecture, manager);
            net.network.loadParameters(manager, in);
            return net;
        } catch (MalformedModelException e) {
            manager.close();
            throw new IOException("The saved classifier does not match the layout " + architecture.key() + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static ClassifierNetwork build(ClassifierArchitecture architecture, NDManager manager) {
        SequentialBlock features = new SequentialBlock();
        for (int width : architecture.convWidths()) {
            features.add(Conv2d.builder().setFilters(width).setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).optBias(false).build());
            features.add(BatchNorm.builder().build());
            features.add(Activation.reluBlock());
            features.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        }
        features.add(Blocks.batchFlattenBlock());
        features.add(Linear.builder().setUnits(architecture.featureDim()).build());
        features.add(Activation.reluBlock());
        Block head = Linear.builder().setUnits(architecture.classes()).build();
        SequentialBlock network = new SequentialBlock().add(features).add(head);
        return new ClassifierNetwork(architecture, manager, network, features, head);
    }

    private static Device device(Engine engine) {
        return engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    }

    ClassifierArchitecture architecture() {
        return architecture;
    }

    NDManager manager() {
        return manager;
    }

    ParameterStore store() {
        return store;
    }

    SequentialBlock network() {
        return network;
    }

    /** Writes every parameter (weights and BatchNorm running statistics). */
    void save(DataOutputStream out) throws IOException {
        checkOpen();
        network.saveParameters(out);
    }

    /**
     * Features and predicted classes of {@code count} images in inference mode (BatchNorm on running statistics).
     *
     * @param images {@code count * C * H * W} floats, NCHW, in [-1, 1]
     */
    Features extract(float[] images, int count) {
        checkOpen();
        ImageShape in = architecture.input();
        int values = in.values();
        if (count < 1 || (long) count * values != images.length) {
            throw new IllegalArgumentException(count + " images of " + in + " need " + (long) count * values + " floats, but "
                    + images.length + " were given.");
        }
        TorchThreads.gradModeOff();
        int dim = architecture.featureDim();
        float[] vectors = new float[Math.multiplyExact(count, dim)];
        int[] predicted = new int[count];
        for (int start = 0; start < count; start += INFERENCE_BATCH) {
            int n = Math.min(INFERENCE_BATCH, count - start);
            try (NDManager scope = manager.newSubManager()) {
                float[] slice = start == 0 && n == count ? images : Arrays.copyOfRange(images, start * values, (start + n) * values);
                NDArray x = scope.create(slice, new Shape(n, in.channels(), in.height(), in.width()));
                NDArray f = features.forward(store, new NDList(x), false).singletonOrThrow();
                NDArray logits = head.forward(store, new NDList(f), false).singletonOrThrow();
                System.arraycopy(f.toFloatArray(), 0, vectors, start * dim, n * dim);
                long[] classes = logits.argMax(1).toLongArray();
                for (int i = 0; i < n; i++) {
                    predicted[start + i] = (int) classes[i];
                }
            }
        }
        return new Features(new FeatureSet(vectors, count, dim), predicted);
    }

    /** Features and predicted classes of the images of {@code data} at {@code indices}, converted a chunk at a time. */
    Features extract(RealData data, int[] indices) {
        int dim = architecture.featureDim();
        float[] vectors = new float[Math.multiplyExact(indices.length, dim)];
        int[] predicted = new int[indices.length];
        for (int start = 0; start < indices.length; start += CHUNK) {
            int[] chunk = Arrays.copyOfRange(indices, start, Math.min(indices.length, start + CHUNK));
            Features part = extract(data.modelInput(chunk), chunk.length);
            part.vectors().copyInto(vectors, start * dim);
            System.arraycopy(part.predicted(), 0, predicted, start, chunk.length);
        }
        return new Features(new FeatureSet(vectors, indices.length, dim), predicted);
    }

    /** The share of {@code data}'s images whose predicted class is their label. */
    double accuracy(RealData data) {
        int[] all = new int[data.count()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        int[] predicted = extract(data, all).predicted();
        int hits = 0;
        for (int i = 0; i < predicted.length; i++) {
            if (predicted[i] == data.label(i)) {
                hits++;
            }
        }
        return hits / (double) predicted.length;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("This classifier is closed; load or train it again.");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            manager.close();
        }
    }
}
