package dev.ganpipe.trainer.gan;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/**
 * The generator's layer sequence, run so that each "upsample x2, then 3x3 convolution" pair is computed as one
 * {@link ResizeConvolution}. The layers, their names and parameters are those of a plain {@link SequentialBlock}
 * (checkpoints, the EMA copy and the ONNX export read them as before); only the arithmetic of the pairs differs.
 */
final class DcganGenerator extends SequentialBlock {

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        List<Block> layers = getChildren().values();
        NDList current = inputs;
        for (int i = 0; i < layers.size(); i++) {
            Block layer = layers.get(i);
            if (i + 1 < layers.size()
                    && layer instanceof DcganOp upsample
                    && layers.get(i + 1) instanceof Conv2d conv
                    && ResizeConvolution.fits(upsample, conv)) {
                current = new NDList(resizeConvolution(parameterStore, current.singletonOrThrow(), conv, training));
                i++; // the convolution is done
            } else {
                current = layer.forward(parameterStore, current, training, params);
            }
        }
        return current;
    }

    private static NDArray resizeConvolution(ParameterStore parameterStore, NDArray x, Conv2d conv, boolean training) {
        Device device = x.getDevice();
        Parameter weight = conv.getDirectParameters().get("weight");
        NDArray bias = conv.isIncludeBias()
                ? parameterStore.getValue(conv.getDirectParameters().get("bias"), device, training)
                : null;
        return ResizeConvolution.forward(x, parameterStore.getValue(weight, device, training), bias);
    }
}
