package dev.ganpipe.quality.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.model.onnx.GeneratorOutput;
import dev.ganpipe.common.model.onnx.GeneratorForward;
import dev.ganpipe.common.model.onnx.GeneratorSignature;
import dev.ganpipe.common.model.onnx.OnnxProto;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClassifierOnnxTest {

    private static final ImageShape SHAPE = ImageShape.FASHION_MNIST;
    private static final int CLASSES = 10;

    /** A "generator" whose image is its noise reshaped, so the test chooses the images the classifier sees. */
    private static byte[] passThroughGenerator() {
        int values = SHAPE.values();
        List<byte[]> nodes = List.of(
                OnnxProto.node("Reshape", "reshape", List.of("z", "shape"), List.of("image")),
                OnnxProto.node("Identity", "keep_label", List.of("label"), List.of("label_copy")));
        byte[] shape = OnnxProto.int64Tensor("shape", new long[] {4}, new long[] {-1, 1, 28, 28});
        byte[] graph = OnnxProto.graph("generator", nodes, List.of(shape),
                List.of(OnnxProto.tensorValueInfo("z", OnnxProto.FLOAT, List.of("N", (long) values)),
                        OnnxProto.tensorValueInfo("label", OnnxProto.INT64, List.of("N"))),
                List.of(OnnxProto.tensorValueInfo("image", OnnxProto.FLOAT, List.of("N", 1L, 28L, 28L)),
                        OnnxProto.tensorValueInfo("label_copy", OnnxProto.INT64, List.of("N"))));
        return OnnxProto.model(8, 17, "test", "1", graph, Map.of("num_classes", Integer.toString(CLASSES)));
    }

    @Test
    void theAppendedClassifierGivesEachImageTheProbabilityDjlGivesItsLabel() throws Exception {
        int count = 5;
        Random random = new Random(3);
        float[] images = new float[count * SHAPE.values()];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) Math.tanh(random.nextGaussian());
        }
        long[] labels = {0, 3, 9, 3, 7};
        try (ClassifierNetwork network = ClassifierNetwork.initialised(ClassifierArchitecture.defaultFor(SHAPE, CLASSES), 5)) {
            byte[] model = OnnxProto.extend(passThroughGenerator(), ClassifierOnnx.confidenceExtension(network));
            float[] expected = new float[count];
            try (NDManager scope = network.manager().newSubManager()) {
                NDArray x = scope.create(images, new Shape(count, 1, 28, 28));
                NDArray probs = network.network().forward(network.store(), new NDList(x), false).singletonOrThrow().softmax(1);
                float[] all = probs.toFloatArray();
                for (int i = 0; i < count; i++) {
                    expected[i] = all[i * CLASSES + (int) labels[i]];
                }
            }
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions())) {
                assertThat(GeneratorSignature.read(session).hasConfidence()).isTrue();
                GeneratorOutput out = GeneratorForward.forward(env, session, images, labels, count, SHAPE.values(), SHAPE, true);
                assertThat(out.images()).containsExactly(images);
                for (int i = 0; i < count; i++) {
                    assertThat(out.confidences()[i]).as("image %d", i).isCloseTo(expected[i], within(1e-4f));
                }
            }
        }
    }
}
