package dev.ganpipe.ingest.publish;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One record for {@code images.raw}.
 *
 * @param key the record key (a source id or an upload id)
 * @param bytes the encoded image
 * @param label the {@code gan.label} header, when known
 * @param contentType the media type of the bytes, e.g. {@code image/png}
 */
public record RawImage(String key, byte[] bytes, Optional<String> label, String contentType) {

    public RawImage {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(contentType, "contentType");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawImage other && key.equals(other.key) && Arrays.equals(bytes, other.bytes)
                && label.equals(other.label) && contentType.equals(other.contentType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, Arrays.hashCode(bytes), label, contentType);
    }

    @Override
    public String toString() {
        return "RawImage[" + key + ", " + bytes.length + " bytes, " + contentType + ", label=" + label.orElse("-") + "]";
    }
}
