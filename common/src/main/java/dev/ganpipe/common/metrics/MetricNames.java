package dev.ganpipe.common.metrics;

/**
 * Micrometer names of the pipeline's metrics. The Prometheus registry renders {@code gan.ingest.images} as
 * {@code gan_ingest_images_total} (counters gain {@code _total}, timers {@code _seconds}); the comment on each
 * constant gives the Prometheus name DESIGN.md documents.
 */
public final class MetricNames {

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
    /** {@code gan_trainer_d_output{on="real|fake"}}. */
    public static final String TRAINER_D_OUTPUT = "gan.trainer.d.output";
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
    /** {@code gan_trainer_replay_buffer_images}. */
    public static final String TRAINER_REPLAY_BUFFER = "gan.trainer.replay.buffer.images";

    /** {@code gan_generator_requests_total{endpoint,status}}. */
    public static final String GENERATOR_REQUESTS = "gan.generator.requests";
    /** {@code gan_generator_images_total}. */
    public static final String GENERATOR_IMAGES = "gan.generator.images";
    /** {@code gan_generator_request_seconds} (histogram). */
    public static final String GENERATOR_REQUEST = "gan.generator.request";
    /** {@code gan_generator_batch_size} (distribution). */
    public static final String GENERATOR_BATCH_SIZE = "gan.generator.batch.size";
    /** {@code gan_generator_model_version}. */
    public static final String GENERATOR_MODEL_VERSION = "gan.generator.model.version";
    /** {@code gan_generator_model_swaps_total{outcome}}. */
    public static final String GENERATOR_MODEL_SWAPS = "gan.generator.model.swaps";

    private MetricNames() {
    }
}
