package dev.ganpipe.common.model.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.model.ModelMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The one reader of the generator contract, on models written with the one writer: what it reads from the graph, what
 * it falls back to in the metadata, and the sentences it refuses a model with.
 */
class GeneratorSignatureTest {

    private static final int NZ = 3;
    private static final ImageShape SHAPE = new ImageShape(2, 2, 1);

    @Test
    void readsTheNoiseWidthAndImageShapeTheGraphDeclares() throws OrtException {
        GeneratorSignature signature = read(model(false, true, false, Map.of(ModelMetadata.STEP, "12")), Function.identity());

        assertThat(signature.noiseDim()).isEqualTo(NZ);
        assertThat(signature.shape()).isEqualTo(SHAPE);
        assertThat(signature.conditional()).isFalse();
        assertThat(signature.classNames()).isEmpty();
        assertThat(signature.step()).hasValue("12");
    }

    @Test
    void fallsBackToTheMetadataWhereTheGraphLeavesTheShapeOpen() throws OrtException {
        GeneratorSignature signature = read(model(false, false, true, Map.of(ModelMetadata.IMAGE_SHAPE, "2x2x1")), Function.identity());

        assertThat(signature.shape()).isEqualTo(SHAPE);
        assertThatThrownBy(() -> read(model(false, false, true, Map.of()), Function.identity()).shape())
                .isInstanceOf(InvalidModelException.class).hasMessageContaining(ModelMetadata.IMAGE_SHAPE).hasMessageContaining("export it");
    }

    @Test
    void aServerRefusesInputsBeyondTheGeneratorsOwnWhereTheEvaluatorOnlyReads() throws OrtException {
        byte[] extraInput = model(false, false, true, Map.of(ModelMetadata.IMAGE_SHAPE, "2x2x1"));

        assertThat(read(extraInput, Function.identity()).noiseDim()).isEqualTo(NZ);
        assertThatThrownBy(() -> read(extraInput, GeneratorSignature::requireOnlyGeneratorInputs))
                .isInstanceOf(InvalidModelException.class).hasMessageContaining("target_shape").hasMessageContaining("export it with the trainer");
    }

    @Test
    void aConditionalGeneratorNamesOrCountsItsClassesAndSaysSoWhenItDoesNeither() throws OrtException {
        assertThat(read(model(true, true, false, Map.of(ModelMetadata.CLASS_NAMES, "[\"cat\",\"dog\"]")), Function.identity()).classNames())
                .containsExactly("cat", "dog");
        assertThat(read(model(true, true, false, Map.of(ModelMetadata.CLASS_NAMES, "cat, dog")), Function.identity()).classNames())
                .containsExactly("cat", "dog");
        assertThat(read(model(true, true, false, Map.of(ModelMetadata.NUM_CLASSES, "2")), Function.identity()).classNames())
                .containsExactly("0", "1");
        assertThatThrownBy(() -> read(model(true, true, false, Map.of()), Function.identity()).classNames())
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining(ModelMetadata.CLASS_NAMES).hasMessageContaining(ModelMetadata.NUM_CLASSES);
    }

    @Test
    void aNoiseWidthOtherThanTheManifestsIsRefused() throws OrtException {
        GeneratorSignature signature = read(model(false, true, false, Map.of()), Function.identity());

        assertThat(signature.requireNoiseDim(NZ)).isSameAs(signature);
        assertThatThrownBy(() -> signature.requireNoiseDim(NZ + 1)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("the manifest and the model disagree");
    }

    private static GeneratorSignature read(byte[] onnx, Function<GeneratorSignature, GeneratorSignature> check) throws OrtException {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                OrtSession session = environment.createSession(onnx, options)) {
            return check.apply(GeneratorSignature.read(session));
        }
    }

    /**
     * {@code image = reshape(z W [+ embedding[label]], target)}: with {@code declareShape} the output says
     * {@code [N, 1, 2, 2]}, else its dimensions are symbolic; with {@code targetAsInput} the reshape target is a graph
     * input, which no generator has.
     */
    private static byte[] model(boolean conditional, boolean declareShape, boolean targetAsInput, Map<String, String> metadata) {
        int values = SHAPE.values();
        List<byte[]> nodes = new ArrayList<>();
        List<byte[]> initializers = new ArrayList<>();
        List<byte[]> inputs = new ArrayList<>();
        inputs.add(OnnxProto.tensorValueInfo(GeneratorTensors.NOISE_INPUT, OnnxProto.FLOAT, List.of("N", (long) NZ)));
        initializers.add(OnnxProto.floatTensor("W", new long[] {NZ, values}, new float[NZ * values]));
        nodes.add(OnnxProto.node("MatMul", "MatMul_h", List.of(GeneratorTensors.NOISE_INPUT, "W"), List.of("h")));
        String flat = "h";
        if (conditional) {
            inputs.add(OnnxProto.tensorValueInfo(GeneratorTensors.LABEL_INPUT, OnnxProto.INT64, List.of("N")));
            initializers.add(OnnxProto.floatTensor("embedding", new long[] {2, values}, new float[2 * values]));
            nodes.add(OnnxProto.node("Gather", "Gather_e", List.of("embedding", GeneratorTensors.LABEL_INPUT), List.of("e")));
            nodes.add(OnnxProto.node("Add", "Add_c", List.of("h", "e"), List.of("c")));
            flat = "c";
        }
        if (targetAsInput) {
            inputs.add(OnnxProto.tensorValueInfo("target_shape", OnnxProto.INT64, List.of(4L)));
        } else {
            initializers.add(OnnxProto.int64Tensor("target_shape", new long[] {4}, new long[] {-1, 1, 2, 2}));
        }
        nodes.add(OnnxProto.node("Reshape", "Reshape_image", List.of(flat, "target_shape"), List.of(GeneratorTensors.IMAGE_OUTPUT)));
        byte[] output = OnnxProto.tensorValueInfo(GeneratorTensors.IMAGE_OUTPUT, OnnxProto.FLOAT,
                declareShape ? List.of("N", 1L, 2L, 2L) : List.of("N", "C", "H", "W"));
        byte[] graph = OnnxProto.graph("signature_test", nodes, initializers, inputs, List.of(output));
        return OnnxProto.model(8, 17, "common-test", "", graph, metadata);
    }
}
