package dev.ganpipe.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ganpipe.common.config.ConfigException;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.images.normalize.ClassList;
import dev.ganpipe.trainer.gan.GanConfig;
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
    void anAdaptiveModeByAnyOfItsNamesStartsFromZeroAndAFixedOneFromOne() {
        for (String adaptive : new String[] {"auto", "ada", "adaptive", "ADA"}) {
            assertThat(TrainerConfig.of("--augment", adaptive).gan().augmentation().initialProbability()).as(adaptive).isZero();
        }
        assertThat(TrainerConfig.of("--augment", "diffaugment").gan().augmentation().initialProbability()).isEqualTo(1.0);
        assertThatThrownBy(() -> TrainerConfig.of("--augment", "sometimes")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("--augment must be auto, off, diffaugment or ada");
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
    void autoWidthsHalveA64x64NetworkOnFewCoresKeepGivenWidthsAndACheckpointsOwn() {
        assertThat(GanConfig.autoWidth(64, 2)).isEqualTo(32);
        assertThat(GanConfig.autoWidth(64, 8)).isEqualTo(64);
        assertThat(GanConfig.autoWidth(28, 2)).isEqualTo(64);
        assertThat(GanConfig.autoWidth(32, 2)).isEqualTo(64);
        int cores = Runtime.getRuntime().availableProcessors();
        ImageShape rgb64 = new ImageShape(64, 64, 3);

        TrainerConfig auto = TrainerConfig.of().withProfile(rgb64, Optional.empty());
        assertThat(auto.gan().generatorWidth()).isEqualTo(GanConfig.autoWidth(64, cores));
        assertThat(auto.gan().discriminatorWidth()).isEqualTo(GanConfig.autoWidth(64, cores));
        assertThat(TrainerConfig.of().withProfile(ImageShape.FASHION_MNIST, Optional.empty()).gan().generatorWidth()).isEqualTo(64);

        TrainerConfig given = TrainerConfig.of("--generator-width", "48", "--discriminator-width", "auto").withProfile(rgb64, Optional.empty());
        assertThat(given.gan().generatorWidth()).isEqualTo(48);
        assertThat(given.gan().discriminatorWidth()).isEqualTo(GanConfig.autoWidth(64, cores));

        TrainerConfig resumed = TrainerConfig.of().withWidthsOf(64, 16).withProfile(rgb64, Optional.empty());
        assertThat(resumed.gan().generatorWidth()).as("the checkpoint's, whatever this machine's cores say").isEqualTo(64);
        assertThat(resumed.gan().discriminatorWidth()).isEqualTo(16);
        assertThat(TrainerConfig.of("--generator-width", "8").withWidthsOf(64, 16).gan().generatorWidth())
                .as("a given width is not overridden (a mismatch with the checkpoint is then reported as before)").isEqualTo(8);
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
