package dev.ganpipe.trainer.gan;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import dev.ganpipe.trainer.onnx.GeneratorLayer;
import dev.ganpipe.trainer.onnx.GeneratorSpec;
import java.util.ArrayList;
import java.util.List;

/** Reads a generator built by {@link DcganModels} into an engine-neutral {@link GeneratorSpec}. */
final class GeneratorSpecs {

    private GeneratorSpecs() {}

    /** Copies the generator's current values (including BatchNorm running statistics). */
    static GeneratorSpec describe(SequentialBlock generator, GanConfig config) {
        List<GeneratorLayer> layers = new ArrayList<>();
        for (Block block : generator.getChildren().values()) {
            layers.add(layer(block));
        }
        return new GeneratorSpec(
                config.noiseDim(), config.channels(), config.imageSize(), config.imageSize(), layers);
    }

    private static GeneratorLayer layer(Block block) {
        ParameterList params = block.getDirectParameters();
        return switch (block) {
            case LabelConcat labels ->
                    new GeneratorLayer.LabelEmbedding(labels.classes(), labels.dim(), values(params.get(LabelConcat.TABLE)));
            case Linear linear -> {
                Shape w = params.get("weight").getArray().getShape(); // [out, in]
                yield new GeneratorLayer.Dense(
                        Math.toIntExact(w.get(1)),
                        Math.toIntExact(w.get(0)),
                        values(params.get("weight")),
                        optionalValues(params.get("bias")));
            }
            case Conv2d conv -> {
                Shape w = params.get("weight").getArray().getShape(); // [out, in, kh, kw]
                requireSquare(conv.getKernelShape(), "kernel");
                requireSquare(conv.getStride(), "stride");
                requireSquare(conv.getPadding(), "padding");
                yield new GeneratorLayer.Conv(
                        Math.toIntExact(w.get(1)),
                        Math.toIntExact(w.get(0)),
                        Math.toIntExact(conv.getKernelShape().get(0)),
                        Math.toIntExact(conv.getStride().get(0)),
                        Math.toIntExact(conv.getPadding().get(0)),
                        values(params.get("weight")),
                        conv.isIncludeBias() ? values(params.get("bias")) : null);
            }
            case BatchNorm ignored ->
                    new GeneratorLayer.BatchNorm(
                            Math.toIntExact(params.get("gamma").getArray().size()),
                            values(params.get("gamma")),
                            values(params.get("beta")),
                            values(params.get("runningMean")),
                            values(params.get("runningVar")),
                            DcganModels.BATCH_NORM_EPSILON); // every BatchNorm is built with it
            case DcganOp op ->
                    switch (op.kind()) {
                        case RELU -> new GeneratorLayer.Relu();
                        case TANH -> new GeneratorLayer.Tanh();
                        case UPSAMPLE_NEAREST -> new GeneratorLayer.NearestUpsample(op.factor());
                        case RESHAPE -> new GeneratorLayer.Reshape(op.perSampleShape());
                        case LEAKY_RELU, FLATTEN -> throw unsupported(block);
                    };
            default -> throw unsupported(block);
        };
    }

    private static float[] values(Parameter parameter) {
        return parameter.getArray().toFloatArray();
    }

    private static float[] optionalValues(Parameter parameter) {
        return parameter == null ? null : values(parameter);
    }

    private static void requireSquare(Shape shape, String what) {
        if (shape.dimension() != 2 || shape.get(0) != shape.get(1)) {
            throw new IllegalStateException(
                    "The ONNX export supports square convolutions only, but a " + what + " is " + shape
                            + "; build the generator with DcganModels.");
        }
    }

    private static IllegalStateException unsupported(Block block) {
        return new IllegalStateException(
                "The ONNX export cannot translate generator layer " + block
                        + "; extend GeneratorSpecs and GeneratorLayer for it, or build the generator with DcganModels.");
    }
}
