package dev.ganpipe.common.kafka;

import dev.ganpipe.client.RecordNames;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The pipeline's topics (DESIGN.md, "Topics"), each typed with its serdes. Names are configurable; the
 * defaults are what the docs, dashboards and tests use.
 */
public record TopicCatalog(
        String imagesRaw,
        String imagesTrain,
        String imagesDlq,
        String modelsGenerator,
        String syntheticRequests,
        String syntheticImages) {

    public static final String DEFAULT_IMAGES_RAW = "images.raw";
    public static final String DEFAULT_IMAGES_TRAIN = "images.train";
    public static final String DEFAULT_IMAGES_DLQ = "images.dlq";
    public static final String DEFAULT_MODELS_GENERATOR = "models.generator";
    public static final String DEFAULT_SYNTHETIC_REQUESTS = RecordNames.SYNTHETIC_REQUESTS_TOPIC;
    public static final String DEFAULT_SYNTHETIC_IMAGES = RecordNames.SYNTHETIC_IMAGES_TOPIC;

    /** The catalog with every default name. */
    public static TopicCatalog defaults() {
        return new TopicCatalog(DEFAULT_IMAGES_RAW, DEFAULT_IMAGES_TRAIN, DEFAULT_IMAGES_DLQ,
                DEFAULT_MODELS_GENERATOR, DEFAULT_SYNTHETIC_REQUESTS, DEFAULT_SYNTHETIC_IMAGES);
    }

    /** Encoded images from any producer; the key is a source id or null. */
    public Topic<byte[], byte[]> raw() {
        return new Topic<>(imagesRaw, Serdes.ByteArray(), Serdes.ByteArray());
    }

    /** Canonical PNGs keyed by the hex sha-256 of their canonical pixels; written only by ingest. */
    public Topic<String, byte[]> train() {
        return new Topic<>(imagesTrain, Serdes.String(), Serdes.ByteArray());
    }

    /** Rejected input: original key and bytes, with reason headers. */
    public Topic<byte[], byte[]> dlq() {
        return new Topic<>(imagesDlq, Serdes.ByteArray(), Serdes.ByteArray());
    }

    /** ONNX generators keyed by model name; compacted. */
    public Topic<String, byte[]> models() {
        return new Topic<>(modelsGenerator, Serdes.String(), Serdes.ByteArray());
    }

    /** JSON generation requests keyed by request id. */
    public Topic<String, String> requests() {
        return new Topic<>(syntheticRequests, Serdes.String(), Serdes.String());
    }

    /** Synthetic PNGs keyed by request id (or {@code stream-<n>}). */
    public Topic<String, byte[]> synthetic() {
        return new Topic<>(syntheticImages, Serdes.String(), Serdes.ByteArray());
    }
}
