package dev.ganpipe.generator.continuous;

import java.util.function.Consumer;
import org.apache.kafka.common.header.Headers;

/** Where continuous mode sends its images: {@code synthetic.images} in production ({@link KafkaImageSink}). */
public interface ImageSink extends AutoCloseable {

    /**
     * Sends one image without waiting for the broker.
     *
     * @param key the record key, {@code stream-<n>}
     * @param png the PNG bytes
     * @param headers the record headers
     * @param done called once with null when the image is stored, or with the failure
     */
    void send(String key, byte[] png, Headers headers, Consumer<Exception> done);

    /** Sends what is buffered and releases the sink. */
    @Override
    void close();
}
