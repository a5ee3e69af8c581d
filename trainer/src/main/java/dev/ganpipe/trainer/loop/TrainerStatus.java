package dev.ganpipe.trainer.loop;

import dev.ganpipe.trainer.quality.QualityRecord;

/**
 * The trainer's state as {@code GET /v1/status} reports it.
 *
 * @param state {@code starting}, {@code waiting_for_data}, {@code training}, {@code stopped} or {@code failed}
 * @param step training steps done
 * @param imagesSeen fresh stream images trained on
 * @param lag images on {@code images.train} not trained on yet
 * @param replayBufferImages images held for replay
 * @param dLoss last discriminator loss
 * @param gLoss last generator loss
 * @param dReal last mean D(real)
 * @param dFake last mean D(G(z))
 * @param augmentation how the discriminator's inputs are augmented ({@code off}, {@code diffaugment(...)}, {@code ada(...)},
 *     {@code auto: ada(...) below N images seen, off from there})
 * @param augmenting whether augmentation runs now ({@code --augment auto} switches it off once N images are seen)
 * @param augmentProbability the probability each augmentation transforms each image with (0 when off; steered with ada)
 * @param stepsPerSecond recent training speed
 * @param device where the networks run
 * @param lastExportVersion newest published version, 0 for none
 * @param lastExportStep step of that export
 * @param lastExportTime ISO time of that export, or null
 * @param error what stopped training, or null
 * @param resumedFromStep the checkpoint step this run resumed from, 0 for a fresh start
 * @param lastCheckpointStep step of the newest checkpoint; consumer offsets are committed up to the images it covers
 * @param lastCheckpointTime ISO time of that checkpoint, or null
 * @param checkpointError why the last checkpoint write failed, or null
 * @param quality the newest quality measurement, or null when quality is off or not measured yet
 */
public record TrainerStatus(
        String state,
        long step,
        long imagesSeen,
        long lag,
        int replayBufferImages,
        double dLoss,
        double gLoss,
        double dReal,
        double dFake,
        String augmentation,
        boolean augmenting,
        double augmentProbability,
        double stepsPerSecond,
        String device,
        long lastExportVersion,
        long lastExportStep,
        String lastExportTime,
        String error,
        long resumedFromStep,
        long lastCheckpointStep,
        String lastCheckpointTime,
        String checkpointError,
        QualityRecord quality) {
}
