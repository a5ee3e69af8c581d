package dev.ganpipe.trainer.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QualityGateTest {

    private final QualityGate fid = new QualityGate("fid", 0.1);

    @Test
    void theFirstModelAlwaysPublishes() {
        QualityGate.Decision decision = fid.decide(Map.of("fid", 900.0), Optional.empty());
        assertThat(decision.publish()).isTrue();
        assertThat(decision.reason()).contains("first model");
    }

    @Test
    void lowerIsBetterForFidWithinARelativeMargin() {
        Optional<Map<String, Double>> live = Optional.of(Map.of("fid", 20.0));
        assertThat(fid.decide(Map.of("fid", 15.0), live).publish()).as("better").isTrue();
        assertThat(fid.decide(Map.of("fid", 21.9), live).publish()).as("worse, inside the 10% margin").isTrue();
        QualityGate.Decision worse = fid.decide(Map.of("fid", 22.1), live);
        assertThat(worse.publish()).as("worse by more than 10%").isFalse();
        assertThat(worse.reason()).contains("fid 22.1000", "20.0000", "lower is better", "limit 22.0000");
    }

    @Test
    void higherIsBetterForCas() {
        QualityGate cas = new QualityGate("cas", 0.05);
        Optional<Map<String, Double>> live = Optional.of(Map.of("cas", 0.80));
        assertThat(cas.decide(Map.of("cas", 0.77), live).publish()).as("inside the 5% margin").isTrue();
        QualityGate.Decision worse = cas.decide(Map.of("cas", 0.70), live);
        assertThat(worse.publish()).isFalse();
        assertThat(worse.reason()).contains("higher is better");
    }

    @Test
    void higherIsBetterForPrecisionRecallAndCoverage() {
        QualityGate recall = new QualityGate("recall", 0.2);
        Optional<Map<String, Double>> live = Optional.of(Map.of("recall", 0.5));
        assertThat(recall.decide(Map.of("recall", 0.41), live).publish()).isTrue();
        assertThat(recall.decide(Map.of("recall", 0.39), live).publish()).isFalse();
        assertThat(recall.decide(Map.of("recall", 0.9), live).publish()).isTrue();
    }

    @Test
    void aLiveModelWithoutAScoreOrACandidateWithoutOneIsLetThroughAndSaysWhy() {
        assertThat(fid.decide(Map.of("fid", 50.0), Optional.of(Map.of())).reason()).contains("carries no fid score");
        assertThat(fid.decide(Map.of("fid", 50.0), Optional.of(Map.of())).publish()).isTrue();
        QualityGate.Decision unmeasured = fid.decide(Map.of("kid", 0.1), Optional.of(Map.of("fid", 10.0)));
        assertThat(unmeasured.publish()).isTrue();
        assertThat(unmeasured.reason()).contains("no fid score");
    }

    @Test
    void manifestScoresAreThePrefixedOnes() {
        assertThat(QualityGate.fromManifest(Map.of("g_loss", 1.0, "quality_fid", 12.5, "quality_recall", 0.4)))
                .containsOnly(Map.entry("fid", 12.5), Map.entry("recall", 0.4));
    }

    @Test
    void unknownMetricsAndOddMarginsAreRefusedWithWhatToDo() {
        assertThatThrownBy(() -> new QualityGate("accuracy", 0.1)).hasMessageContaining("choose one of those, or 'off'");
        assertThatThrownBy(() -> new QualityGate("fid", -0.1)).hasMessageContaining("0.1 = 10% worse allowed");
    }
}
