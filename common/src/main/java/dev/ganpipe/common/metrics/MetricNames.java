package dev.ganpipe.common.metrics;

/**
 * Micrometer names of the pipeline's metrics. The Prometheus registry renders {@code gan.ingest.images} as
 * {@code gan_ingest_images_total} (counters gain {@code _total}, timers {@code _seconds}); the comment on each
 * constant gives the Prometheus name DESIGN.md documents. Tag keys and values that several services' metrics share
 * are here too, so that one dashboard query or alert reads {@code outcome="rejected"} alike on every service.
 */
public final class MetricNames {

    /** The tag key of what became of a record or a request. */
    public static final String TAG_OUTCOME = "outcome";
    /** The tag key of why, alongside {@link #TAG_OUTCOME}. */
    public static final String TAG_REASON = "reason";
    /** The tag key of the model name on meters that describe one model (e.g. {@link #GENERATOR_MODEL_VERSION}). */
    public static final String TAG_MODEL = "model";
    /** The outcome of input that was taken in. */
    public static final String OUTCOME_ACCEPTED = "accepted";
    /** The outcome of input that was turned away (and dead-lettered where the service has a dead-letter topic). */
    public static final String OUTCOME_REJECTED = "rejected";
    /** The reason of accepted input: every series of one metric has the same tag keys, so accepted input has one too. */
    public static final String REASON_NONE = "none";

    /** {@code gan_ingest_images_total{outcome,reason}}. */
    public static final String INGEST_IMAGES = "gan.ingest.images";
    /** {@code gan_ingest_bytes_total}. */
    public static final String INGEST_BYTES = "gan.ingest.bytes";
    /** {@code gan_ingest_normalize_seconds} (histogram). */
    public static final String INGEST_NORMALIZE = "gan.ingest.normalize";

    /** {@code gan_trainer_steps_total}. */
    public static final String TRAINER_STEPS = "gan.trainer.steps";
    /** {@code gan_trainer_images_total}. */
    public static final String TRAINER_IMAGES = "gan.trainer.images";
    /** {@code gan_trainer_loss{net="d|g"}}. */
    public static final String TRAINER_LOSS = "gan.trainer.loss";
    /**
     * {@code gan_trainer_discriminator_output{on="real|fake"}}; not {@code d_output}, which Prometheus's linter reads as
     * a value in days.
     */
    public static final String TRAINER_DISCRIMINATOR_OUTPUT = "gan.trainer.discriminator.output";
    /** Gauge: the augmentation probability p (DiffAugment, steered by ADA); exposed as gan_trainer_augment_probability. */
    public static final String TRAINER_AUGMENT_PROBABILITY = "gan.trainer.augment.probability";
    /** {@code gan_trainer_step_seconds} (histogram). */
    public static final String TRAINER_STEP = "gan.trainer.step";
    /** {@code gan_trainer_data_wait_seconds} (histogram). */
    public static final String TRAINER_DATA_WAIT = "gan.trainer.data.wait";
    /** {@code gan_trainer_exports_total}. */
    public static final String TRAINER_EXPORTS = "gan.trainer.exports";
    /** {@code gan_trainer_last_export_timestamp_seconds}. */
    public static final String TRAINER_LAST_EXPORT = "gan.trainer.last.export.timestamp.seconds";
    /** {@code gan_trainer_quality{metric}}. */
    public static final String TRAINER_QUALITY = "gan.trainer.quality";
    /** {@code gan_trainer_lag_images}: images on the training topic not trained on yet. */
    public static final String TRAINER_LAG = "gan.trainer.lag.images";
    /** {@code gan_trainer_records_rejected_total}: training records the trainer could not decode. */
    public static final String TRAINER_RECORDS_REJECTED = "gan.trainer.records.rejected";
    /** {@code gan_trainer_quality_gate_refusals_total}: exports the quality gate kept from publishing. */
    public static final String TRAINER_QUALITY_GATE_REFUSALS = "gan.trainer.quality.gate.refusals";
    /** {@code gan_trainer_quality_failures_total}: in-training quality measurements that failed. */
    public static final String TRAINER_QUALITY_FAILURES = "gan.trainer.quality.failures";
    /** {@code gan_trainer_replay_buffer_images}. */
    public static final String TRAINER_REPLAY_BUFFER = "gan.trainer.replay.buffer.images";
    /** {@code gan_trainer_checkpoints_total{outcome="written|failed"}}: checkpoint writes. */
    public static final String TRAINER_CHECKPOINTS = "gan.trainer.checkpoints";
    /** {@code gan_trainer_checkpoint_write_seconds} (histogram): time to snapshot, write and sync a checkpoint. */
    public static final String TRAINER_CHECKPOINT_WRITE = "gan.trainer.checkpoint.write";
    /** {@code gan_trainer_last_checkpoint_timestamp_seconds}: when the newest checkpoint was written. */
    public static final String TRAINER_LAST_CHECKPOINT = "gan.trainer.last.checkpoint.timestamp.seconds";
    /** {@code gan_trainer_last_checkpoint_step}: the step of the newest checkpoint (offsets are committed up to it). */
    public static final String TRAINER_LAST_CHECKPOINT_STEP = "gan.trainer.last.checkpoint.step";

    /** {@code gan_generator_requests_total{endpoint,status}}. */
    public static final String GENERATOR_REQUESTS = "gan.generator.requests";
    /** {@code gan_generator_images_total}. */
    public static final String GENERATOR_IMAGES = "gan.generator.images";
    /** {@code gan_generator_request_seconds} (histogram). */
    public static final String GENERATOR_REQUEST = "gan.generator.request";
    /** {@code gan_generator_batch_size} (distribution). */
    public static final String GENERATOR_BATCH_SIZE = "gan.generator.batch.size";
    /** {@code gan_generator_forward_seconds}: the time of each ONNX Runtime forward pass. */
    public static final String GENERATOR_FORWARD = "gan.generator.forward";
    /** {@code gan_generator_queued_images}: images HTTP requests were admitted for and have not received yet. */
    public static final String GENERATOR_QUEUED_IMAGES = "gan.generator.queued.images";
    /** {@code gan_generator_model_version}. */
    public static final String GENERATOR_MODEL_VERSION = "gan.generator.model.version";
    /** {@code gan_generator_model_swaps_total{outcome}}. */
    public static final String GENERATOR_MODEL_SWAPS = "gan.generator.model.swaps";
    /** Models refused because their origin is not proven, by reason ({@code unsigned}, {@code bad_signature}, {@code version_jump}). */
    public static final String GENERATOR_MODEL_UNTRUSTED = "gan.generator.model.untrusted";
    /** {@code gan_generator_stream_requests_total{outcome="accepted|rejected",reason}}: {@code synthetic.requests} records. */
    public static final String GENERATOR_STREAM_REQUESTS = "gan.generator.stream.requests";
    /**
     * {@code gan_generator_stream_stopped}: 1 once the {@code synthetic.requests} stream has stopped for good (a missing
     * ACL, a refused login, an unexpected error; the service needs a restart), else 0.
     */
    public static final String GENERATOR_STREAM_STOPPED = "gan.generator.stream.stopped";
    /** {@code gan_generator_continuous_images_total}: images continuous mode published. */
    public static final String GENERATOR_CONTINUOUS_IMAGES = "gan.generator.continuous.images";
    /** {@code gan_generator_continuous_failures_total{reason}}: continuous-mode images not published, by reason. */
    public static final String GENERATOR_CONTINUOUS_FAILURES = "gan.generator.continuous.failures";
    /** {@code gan_generator_continuous_target_rate}: the configured continuous rate, images/s (0 when off). */
    public static final String GENERATOR_CONTINUOUS_TARGET_RATE = "gan.generator.continuous.target.rate";
    /** {@code gan_generator_continuous_behind_seconds}: how far continuous mode runs behind its schedule. */
    public static final String GENERATOR_CONTINUOUS_BEHIND = "gan.generator.continuous.behind.seconds";

    private MetricNames() {
    }
}
