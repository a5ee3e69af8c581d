package dev.ganpipe.common.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The metadata keys are read from model files already published, so a renamed constant must not change a key. */
class ModelMetadataTest {

    @Test
    void theKeysAreTheOnesPublishedModelsCarry() {
        assertThat(List.of(ModelMetadata.STEP, ModelMetadata.IMAGE_SHAPE, ModelMetadata.NOISE_DIM, ModelMetadata.NUM_CLASSES,
                ModelMetadata.CLASS_NAMES, ModelMetadata.PRODUCER))
                .containsExactly("step", "image_shape", "noise_dim", "num_classes", "class_names", "producer");
    }
}
