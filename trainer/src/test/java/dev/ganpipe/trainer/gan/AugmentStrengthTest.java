package dev.ganpipe.trainer.gan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The adaptive augmentation probability: steered by the sign of D(real), checkpointed exactly, fixed when asked. */
class AugmentStrengthTest {

    private static final int BATCH = 64;
    private static final double STEP_OF_P = AugmentStrength.INTERVAL * BATCH / AugmentStrength.IMAGES_FROM_0_TO_1;

    @Test
    void pRisesWhileTheDiscriminatorIsSureOfTheRealImagesAndFallsWhenItIsNot() {
        AugmentStrength strength = new AugmentStrength(Augmentation.parse("ada", "color,translation,cutout", 0, 0.6));
        long step = 0;
        for (int i = 0; i < 40; i++) { // r_t = 1 (every real image judged real): overfitting
            strength.observeReal(BATCH, BATCH);
            strength.afterStep(++step, BATCH);
        }
        assertThat(strength.probability()).isCloseTo(10 * STEP_OF_P, org.assertj.core.data.Offset.offset(1e-6));
        for (int i = 0; i < 8; i++) { // r_t = 0.5: below the target
            strength.observeReal(BATCH / 2, BATCH);
            strength.afterStep(++step, BATCH);
        }
        assertThat(strength.probability()).isCloseTo(8 * STEP_OF_P, org.assertj.core.data.Offset.offset(1e-6));
        for (int i = 0; i < 400; i++) { // never below 0
            strength.observeReal(-BATCH, BATCH);
            strength.afterStep(++step, BATCH);
        }
        assertThat(strength.probability()).isZero();
    }

    @Test
    void aRestoredStrengthContinuesExactlyMidInterval() {
        AugmentStrength original = new AugmentStrength(Augmentation.parse("ada", "cutout", 0.3, 0.6));
        for (long step = 1; step <= 6; step++) {
            original.observeReal(step % 2 == 0 ? BATCH : 10, BATCH);
            original.afterStep(step, BATCH);
        }
        AugmentStrength restored = new AugmentStrength(Augmentation.parse("ada", "cutout", 0.0, 0.6));
        restored.restore(original.state());
        assertThat(restored.probability()).isEqualTo(original.probability());
        assertThat(restored.overfitting()).isEqualTo(original.overfitting());
        for (long step = 7; step <= 20; step++) {
            original.observeReal(BATCH, BATCH);
            restored.observeReal(BATCH, BATCH);
            original.afterStep(step, BATCH);
            restored.afterStep(step, BATCH);
            assertThat(restored.probability()).as("step %d", step).isEqualTo(original.probability());
        }
        assertThatThrownBy(() -> restored.restore(new float[] {2f, 0f, 0f})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("p in 0..1");
    }

    @Test
    void aFixedProbabilityNeverMovesAndOffMeansZero() {
        AugmentStrength fixed = new AugmentStrength(Augmentation.parse("diffaugment", "color", 1.0, 0.6));
        for (long step = 1; step <= 12; step++) {
            fixed.observeReal(BATCH, BATCH);
            fixed.afterStep(step, BATCH);
        }
        assertThat(fixed.probability()).isEqualTo(1.0);
        assertThat(new AugmentStrength(Augmentation.OFF).probability()).isZero();
    }

    @Test
    void switchedOffItAugmentsNothingAndSteersNothingButKeepsTheStrengthItReached() {
        AugmentStrength strength = new AugmentStrength(Augmentation.parse("auto", "color,translation,cutout", 0, 0.6, 1_000));
        long step = 0;
        for (int i = 0; i < 8; i++) {
            strength.observeReal(BATCH, BATCH);
            strength.afterStep(++step, BATCH);
        }
        double reached = strength.probability();
        assertThat(reached).isGreaterThan(0);
        strength.setActive(false);
        for (int i = 0; i < 8; i++) { // r_t = 1 would raise p, were it on
            strength.observeReal(BATCH, BATCH);
            strength.afterStep(++step, BATCH);
        }
        assertThat(strength.probability()).as("off: every step uses p = 0").isZero();
        assertThat(strength.overfitting()).as("off: nothing observed").isNaN();
        strength.setActive(true);
        assertThat(strength.probability()).as("on again: the strength it had").isEqualTo(reached);
    }

    @Test
    void theSwitchTravelsInTheCheckpointAndAnOlderCheckpointResumesSwitchedOn() {
        Augmentation auto = Augmentation.parse("auto", "cutout", 0.25, 0.6, 1_000);
        AugmentStrength original = new AugmentStrength(auto);
        original.setActive(false);
        AugmentStrength restored = new AugmentStrength(auto);
        restored.restore(original.state());
        assertThat(restored.active()).isFalse();
        assertThat(restored.probability()).isZero();
        restored.setActive(true);
        assertThat(restored.probability()).isEqualTo(0.25);

        AugmentStrength fromOlder = new AugmentStrength(auto);
        fromOlder.setActive(false);
        fromOlder.restore(new float[] {0.125f, 3f, 7f}); // [p, sum, count]: written before the switch existed
        assertThat(fromOlder.active()).isTrue();
        assertThat(fromOlder.probability()).isEqualTo(0.125);
        assertThatThrownBy(() -> fromOlder.restore(new float[] {0.1f, 0f, 0f, 0.5f})).hasMessageContaining("active 0 or 1");
    }

    @Test
    void autoIsAdaBelowItsThresholdOfImagesSeenAndOffFromThere() {
        Augmentation auto = Augmentation.parse("auto", "color,translation,cutout", 0, 0.6, 5_000);
        assertThat(auto.mode()).isEqualTo(Augmentation.Mode.ADAPTIVE);
        assertThat(auto.bySize()).isTrue();
        assertThat(auto.activeAt(0)).isTrue();
        assertThat(auto.activeAt(4_999)).isTrue();
        assertThat(auto.activeAt(5_000)).isFalse();
        assertThat(auto.describe()).isEqualTo("auto: ada(color,translation,cutout; target 0.60, p from 0.00) below 5,000 images seen, off from there");
        Augmentation ada = Augmentation.parse("ada", "color", 0, 0.6, 5_000);
        assertThat(ada.bySize()).isFalse();
        assertThat(ada.activeAt(Long.MAX_VALUE - 1)).isTrue();
        assertThat(Augmentation.OFF.activeAt(0)).isFalse();
        assertThat(Augmentation.AUTO.activeBelowImages()).isEqualTo(Augmentation.AUTO_UNTIL_IMAGES);
        assertThatThrownBy(() -> Augmentation.parse("auto", "color", 0, 0.6, 0)).hasMessageContaining("--augment-auto-until");
    }

    @Test
    void optionsAreParsedWithSentencesForMistakes() {
        assertThat(Augmentation.parse("ada", "colour, cutout", 0, 0.6).describe()).isEqualTo("ada(color,cutout; target 0.60, p from 0.00)");
        assertThat(Augmentation.parse("off", "color", 0, 0.6)).isEqualTo(Augmentation.OFF);
        assertThatThrownBy(() -> Augmentation.parse("sometimes", "color", 0, 0.6)).hasMessageContaining("off, diffaugment or ada");
        assertThatThrownBy(() -> Augmentation.parse("ada", "rotate", 0, 0.6)).hasMessageContaining("color, translation, cutout");
        assertThatThrownBy(() -> Augmentation.parse("ada", "", 0, 0.6)).hasMessageContaining("no operation");
        assertThatThrownBy(() -> Augmentation.parse("ada", "color", 0, 1.5)).hasMessageContaining("--augment-target");
    }
}
