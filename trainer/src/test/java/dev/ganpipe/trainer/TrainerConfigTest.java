package dev.ganpipe.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ganpipe.common.config.ConfigException;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.images.normalize.ClassList;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code --classes} means in the trainer what it means in ingest and the evaluator: class names in label order. */
class TrainerConfigTest {

    @Test
    void aConditionalGanHasAsManyLabelsAsTheClassesListsNames() {
        TrainerConfig config = TrainerConfig.of("--conditional", "true", "--classes", "cat, dog,bird");

        assertThat(config.classNames()).map(ClassList::names).contains(java.util.List.of("cat", "dog", "bird"));
        assertThat(config.gan().classes()).isEqualTo(3);
    }

    @Test
    void withoutClassesTheNamesAndTheShapeAreLeftToTheData() {
        TrainerConfig config = TrainerConfig.of();

        assertThat(config.classNames()).as("the data's gan.classes names them").isEmpty();
        assertThat(config.imageShape()).as("the first record's gan.image.shape decides it").isEmpty();
        assertThat(config.gan().classes()).as("--conditional auto decides once the first record is there").isZero();
    }

    @Test
    void aLoneNumberIsNotACountAndIsRefusedWithASentenceSayingWhatToPass() {
        assertThatThrownBy(() -> TrainerConfig.of("--conditional", "true", "--classes", "3"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("class names")
                .hasMessageContaining("--classes cat,dog");
    }

    @Test
    void aGiven32x32ImageShapeSizesTheNetworksAndASizeNoLayoutTrainsIsRefusedSayingWhichDo() {
        TrainerConfig rgb32 = TrainerConfig.of("--image-shape", "32x32x3");

        assertThat(rgb32.gan().imageSize()).isEqualTo(32);
        assertThat(rgb32.gan().channels()).isEqualTo(3);
        assertThatThrownBy(() -> TrainerConfig.of("--image-shape", "48x48x3")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("28x28 (dcgan28), 32x32 (dcgan32) or 64x64 (dcgan64)").hasMessageContaining("Fix --image-shape");
    }

    @Test
    void anAutoModelNameFollowsTheDatasetAndTheImageSizeTheDataDecides() {
        ImageShape rgb64 = new ImageShape(64, 64, 3);

        assertThat(TrainerConfig.of("--dataset", "emoji").withProfile(rgb64, Optional.empty()).modelName()).isEqualTo("emoji-dcgan64");
        assertThat(TrainerConfig.of().withProfile(ImageShape.FASHION_MNIST, Optional.empty()).modelName()).isEqualTo("fashion-dcgan28");
        assertThat(TrainerConfig.of("--model-name", "mine").withProfile(rgb64, Optional.empty()).modelName())
                .as("a given name is kept").isEqualTo("mine");
        assertThatThrownBy(() -> TrainerConfig.of("--dataset", "my data")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("--dataset").hasMessageContaining("letters, digits and '-'");
    }
}
