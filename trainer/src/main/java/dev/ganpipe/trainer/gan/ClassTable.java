package dev.ganpipe.trainer.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * A learned table of one vector per class, {@code [classes, width]}, looked up as a one-hot product (which the ONNX
 * export writes as {@code Gather}): the conditional generator's label embedding and the projection discriminator's
 * class vectors are both one.
 */
final class ClassTable {

    private ClassTable() {
    }

    /** The table as a block's weight, for {@code addParameter}. */
    static Parameter parameter(String name, int classes, int width) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(classes, width))
                .build();
    }

    /** The rows of {@code labels} ({@code [N]}, int64), {@code [N, width]}, on {@code like}'s device. */
    static NDArray lookup(ParameterStore store, Parameter table, NDArray labels, int classes, NDArray like, boolean training) {
        return labels.oneHot(classes).matMul(store.getValue(table, like.getDevice(), training));
    }
}
