package dev.ganpipe.trainer.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A projection discriminator (Miyato and Koyama, 2018): {@code D(x, y) = head(phi(x)) + <V[y], phi(x)>}, where
 * {@code phi} is the DCGAN discriminator up to its flattened features, {@code head} its final linear layer and
 * {@code V} a learned table {@code [classes, features]}. Takes {@code (images [N, C, H, W], labels [N])} (labels
 * int64) and returns logits {@code [N, 1]}.
 */
final class ProjectionDiscriminator extends AbstractBlock {

    /** Name of the class embedding parameter. */
    static final String TABLE = "classEmbedding";

    private final SequentialBlock body;
    private final Block head;
    private final Parameter table;
    private final int classes;

    @SuppressWarnings("this-escape") // DJL's block API registers children and parameters from the constructor
    ProjectionDiscriminator(SequentialBlock body, Block head, int classes, int features) {
        this.body = addChildBlock("body", body);
        this.head = addChildBlock("head", head);
        this.classes = classes;
        this.table = addParameter(ClassTable.parameter(TABLE, classes, features));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        if (inputs.size() != 2) {
            throw new IllegalArgumentException("A conditional discriminator takes images and labels, but got "
                    + inputs.size() + " inputs; pass NDList(images, labels).");
        }
        NDArray features = body.forward(parameterStore, new NDList(inputs.get(0)), training).singletonOrThrow();
        NDArray logits = head.forward(parameterStore, new NDList(features), training).singletonOrThrow();
        NDArray classVectors = ClassTable.lookup(parameterStore, table, inputs.get(1), classes, features, training);
        return new NDList(logits.add(classVectors.mul(features).sum(new int[] {1}, true)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), 1)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        body.initialize(manager, dataType, inputShapes[0]);
        head.initialize(manager, dataType, body.getOutputShapes(new Shape[] {inputShapes[0]}));
    }

    @Override
    public String toString() {
        return "ProjectionDiscriminator(" + classes + " classes)";
    }
}
