package dev.ganpipe.trainer.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The first layer of a conditional generator: takes {@code (z [N, noiseDim], label [N])} (labels int64) and returns
 * {@code [N, noiseDim + dim]}, z followed by the label's learned embedding. The lookup is a one-hot product with
 * the embedding table {@code [classes, dim]}, which the ONNX export writes as {@code Gather} and {@code Concat}.
 */
final class LabelConcat extends AbstractBlock {

    /** Name of the embedding table parameter. */
    static final String TABLE = "labelEmbedding";

    private final int classes;
    private final int dim;
    private final Parameter table;

    @SuppressWarnings("this-escape") // DJL's block API registers parameters from the constructor
    LabelConcat(int classes, int dim) {
        this.classes = classes;
        this.dim = dim;
        this.table = addParameter(ClassTable.parameter(TABLE, classes, dim));
    }

    int classes() {
        return classes;
    }

    int dim() {
        return dim;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        if (inputs.size() != 2) {
            throw new IllegalArgumentException("A conditional generator takes noise and labels, but got " + inputs.size()
                    + " inputs; pass NDList(z, labels).");
        }
        NDArray z = inputs.get(0);
        NDArray labels = inputs.get(1);
        NDArray embedding = ClassTable.lookup(parameterStore, table, labels, classes, z, training);
        return new NDList(z.concat(embedding, 1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape z = inputShapes[0];
        return new Shape[] {new Shape(z.get(0), z.get(1) + dim)};
    }

    @Override
    public String toString() {
        return "LabelConcat(" + classes + " classes, " + dim + ")";
    }
}
