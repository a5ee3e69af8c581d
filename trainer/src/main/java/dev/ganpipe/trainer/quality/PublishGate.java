package dev.ganpipe.trainer.quality;

import dev.ganpipe.trainer.gan.GanTrainingCore;

/**
 * Decides whether an exported generator may replace the live model: {@link QualityMonitor} measures it against the
 * live model's scores. The training loop asks it before every publish and confirms each publish that went out.
 */
public interface PublishGate {

    /** Measures the generator as it is now and says whether it may be published, and why. */
    QualityMonitor.Verdict judge(GanTrainingCore core);

    /** Records that a generator judged publishable went out: it is the live model the next one is compared with. */
    void published(QualityMonitor.Verdict verdict);
}
