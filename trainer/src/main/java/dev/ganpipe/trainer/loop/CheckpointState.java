package dev.ganpipe.trainer.loop;

import java.time.Instant;

/**
 * The checkpoints of a run as the status page shows them.
 *
 * @param resumedFromStep the step this run resumed from, 0 for a fresh start
 * @param lastStep the step of the newest checkpoint of this run (or the one it resumed from), 0 for none
 * @param lastTime when that checkpoint was written, or null
 * @param error why the last write failed, or null after a success
 */
public record CheckpointState(long resumedFromStep, long lastStep, Instant lastTime, String error) {}
