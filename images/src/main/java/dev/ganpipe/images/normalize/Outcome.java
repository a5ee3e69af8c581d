package dev.ganpipe.images.normalize;

import dev.ganpipe.common.image.CanonicalImage;
import dev.ganpipe.common.image.PngEncoder;
import java.util.Objects;
import java.util.OptionalInt;

/** The result of normalising one input: accepted as a canonical image, or rejected with a reason. */
public sealed interface Outcome permits Outcome.Accepted, Outcome.Rejected {

    /**
     * An input turned into a canonical image.
     *
     * @param image the canonical pixels
     * @param id the stable image id (hex SHA-256 of shape and pixels): the key on {@code images.train}
     * @param label the class index, when the input was labelled
     */
    record Accepted(CanonicalImage image, String id, OptionalInt label) implements Outcome {

        public Accepted {
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(label, "label");
        }

        /** The canonical PNG: the value on {@code images.train}. */
        public byte[] png() {
            try (PngEncoder encoder = PngEncoder.compressed()) {
                return encoder.encode(image);
            }
        }

        /** The canonical PNG, written with the caller's encoder (one per thread, reused). */
        public byte[] png(PngEncoder encoder) {
            return encoder.encode(image);
        }
    }

    /**
     * An input refused.
     *
     * @param reason the machine reason
     * @param detail one sentence for a person: what was wrong and what to do
     */
    record Rejected(ImageRejectReason reason, String detail) implements Outcome {

        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
