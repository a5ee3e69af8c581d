package dev.ganpipe.images.source;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One image read from a source, as it goes onto {@code images.raw}.
 *
 * @param sourceId where it came from, e.g. {@code train-images-idx3-ubyte.gz#17} or a path inside a folder;
 *        used as the record key
 * @param encodedBytes the encoded image (PNG, JPEG, ...). Readers stop reading a file one byte past their size
 *        limit, so a longer array means "over the limit" and holds only a prefix of the file.
 * @param label the class index as text ({@code "0".."9"}), or, when the name matched no configured class, the name
 *        as found, which the normaliser then rejects as {@code bad_label}
 */
public record SourceImage(String sourceId, byte[] encodedBytes, Optional<String> label) {

    public SourceImage {
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(encodedBytes, "encodedBytes");
        Objects.requireNonNull(label, "label");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SourceImage other && sourceId.equals(other.sourceId)
                && Arrays.equals(encodedBytes, other.encodedBytes) && label.equals(other.label);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sourceId, Arrays.hashCode(encodedBytes), label);
    }

    @Override
    public String toString() {
        return "SourceImage[" + sourceId + ", " + encodedBytes.length + " bytes, label=" + label.orElse("-") + "]";
    }
}
