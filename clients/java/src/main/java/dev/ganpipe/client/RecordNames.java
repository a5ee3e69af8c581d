package dev.ganpipe.client;

/**
 * The names on the wire of DESIGN.md's record contract: default topic names, record header names and CloudEvents
 * types. They are written here, in the client jar, and nowhere else: the services' {@code common.kafka.GanHeaders},
 * {@code CloudEvents} and {@code TopicCatalog} take their constants from this class, so a consumer built on this jar
 * reads exactly what the services write.
 */
public final class RecordNames {

    /** Default name of the topic of synthetic images (PNG values, keyed by request id or {@code stream-<n>}). */
    public static final String SYNTHETIC_IMAGES_TOPIC = "synthetic.images";
    /** Default name of the topic of image requests (JSON values, keyed by request id). */
    public static final String SYNTHETIC_REQUESTS_TOPIC = "synthetic.requests";

    /** The class index an image was made for (conditional models) or carries (training images). */
    public static final String LABEL = "gan.label";
    /**
     * The model's shipped classifier's probability, 0 to 1 as decimal text, that a synthetic image shows its
     * {@value #LABEL}; absent when the model ships no classifier.
     */
    public static final String LABEL_CONFIDENCE = "gan.label.confidence";
    public static final String ERROR_REASON = "gan.error.reason";
    public static final String ERROR_DETAIL = "gan.error.detail";
    public static final String SOURCE_TOPIC = "gan.source.topic";
    public static final String SOURCE_PARTITION = "gan.source.partition";
    public static final String SOURCE_OFFSET = "gan.source.offset";
    /** The name of the model that made a synthetic image (e.g. {@code fashion-dcgan28}). */
    public static final String MODEL_NAME = "gan.model.name";
    /** The version of the model that made a synthetic image, or of a published model. */
    public static final String MODEL_VERSION = "gan.model.version";
    public static final String MODEL_SHA256 = "gan.model.sha256";
    /** Base64 Ed25519 signature of a model manifest by the trainer's key. */
    public static final String MODEL_SIGNATURE = "gan.model.signature";
    public static final String MODEL_STEP = "gan.model.step";
    public static final String MODEL_METRICS = "gan.model.metrics";
    /** The seed of a synthetic image's noise. */
    public static final String SEED = "gan.seed";
    /**
     * A synthetic image's place in its request's answer (0 in continuous mode); with {@code min_confidence}, the row of
     * its seed's noise it came from.
     */
    public static final String INDEX = "gan.index";
    /** Width, height and channels of a canonical image, e.g. {@code 28x28x1}. */
    public static final String IMAGE_SHAPE = "gan.image.shape";
    /**
     * The data's class names in label order, comma-separated (label {@code i} is the {@code i}-th name), e.g.
     * {@code cat,dog}: on every labelled {@code images.train} record, so a consumer learns the names without configuration.
     */
    public static final String CLASSES = "gan.classes";
    /** The value's media type; {@value #PNG} on the image topics. */
    public static final String CONTENT_TYPE = "content-type";
    public static final String PNG = "image/png";

    /** CloudEvents 1.0 binary-mode headers, on every record a service produces. */
    public static final String CE_SPECVERSION = "ce_specversion";
    public static final String CE_ID = "ce_id";
    public static final String CE_SOURCE = "ce_source";
    public static final String CE_TYPE = "ce_type";
    public static final String CE_TIME = "ce_time";
    /** The CloudEvents type of a {@code synthetic.images} record. */
    public static final String TYPE_SYNTHETIC_IMAGE = "gan.image.synthetic.v1";

    private RecordNames() {
    }
}
