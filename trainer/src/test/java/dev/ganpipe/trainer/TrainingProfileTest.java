package dev.ganpipe.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.trainer.checkpoint.Architecture;
import dev.ganpipe.trainer.data.FirstImage;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What decides the networks' image shape when {@code --image-shape} is left 'auto': the data, or the newest checkpoint. */
class TrainingProfileTest {

    private static final ImageShape RGB32 = new ImageShape(32, 32, 3);

    @Test
    void aFirst32x32RgbRecordIsUsableAndDecidesA32x32RgbNetwork() {
        TrainerConfig auto = TrainerConfig.of("--dataset", "cifar");

        assertThat(TrainingProfile.usable(auto, RGB32)).isEmpty();
        TrainerConfig decided = TrainingProfile.fromFirstImage(auto, new FirstImage(RGB32, false, List.of()));

        assertThat(decided.gan().imageSize()).isEqualTo(32);
        assertThat(decided.gan().channels()).isEqualTo(3);
        assertThat(decided.gan().conditional()).isFalse();
        assertThat(decided.modelName()).isEqualTo("cifar-dcgan32");
    }

    @Test
    void aShapeNoLayoutTrainsIsPassedOverWithASentenceListingTheShapesThatTrain() {
        assertThat(TrainingProfile.usable(TrainerConfig.of(), new ImageShape(48, 48, 3))).hasValueSatisfying(problem -> assertThat(problem)
                .contains("48x48x3").contains("32x32x1, 32x32x3").contains("28x28 (dcgan28), 32x32 (dcgan32) or 64x64 (dcgan64)"));
    }

    @Test
    void aResumedTrainerKeepsThe32x32RgbNetworkOfItsCheckpoint() {
        Architecture saved = new Architecture(32, 3, 100, 16, 16, false, 0);

        TrainerConfig resumed = TrainingProfile.withoutData(TrainerConfig.of("--generator-width", "16", "--discriminator-width", "16"),
                Optional.of(saved)).orElseThrow();

        assertThat(Architecture.of(resumed.gan()).differencesFrom(saved)).isEmpty();
    }
}
