package dev.ganpipe.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ganpipe.common.config.ConfigException;
import dev.ganpipe.images.normalize.ClassList;
import org.junit.jupiter.api.Test;

/** {@code --classes} means in the trainer what it means in ingest and the evaluator: class names in label order. */
class TrainerConfigTest {

    @Test
    void aConditionalGanHasAsManyLabelsAsTheClassesListsNames() {
        TrainerConfig config = TrainerConfig.of("--conditional", "true", "--classes", "cat, dog,bird");

        assertThat(config.classNames().names()).containsExactly("cat", "dog", "bird");
        assertThat(config.classes()).isEqualTo(3);
        assertThat(config.gan().classes()).isEqualTo(3);
    }

    @Test
    void theDefaultClassesAreTheFashionMnistNamesAsInIngest() {
        TrainerConfig config = TrainerConfig.of();

        assertThat(config.classNames()).isEqualTo(ClassList.fashionMnist());
        assertThat(config.classes()).isEqualTo(10);
        assertThat(config.gan().classes()).as("--conditional auto decides at start-up").isZero();
    }

    @Test
    void aLoneNumberIsNotACountAndIsRefusedWithASentenceSayingWhatToPass() {
        assertThatThrownBy(() -> TrainerConfig.of("--conditional", "true", "--classes", "3"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("class names")
                .hasMessageContaining("--classes cat,dog");
    }
}
