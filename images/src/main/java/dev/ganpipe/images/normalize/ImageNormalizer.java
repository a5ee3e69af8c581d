package dev.ganpipe.images.normalize;

import dev.ganpipe.common.image.CanonicalImage;
import dev.ganpipe.common.image.Hashes;
import dev.ganpipe.common.image.ImageShape;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Turns an encoded image and its optional label into the canonical image of DESIGN.md, or a rejection: cheap
 * checks first (size, label), then the declared dimensions (no pixel decoded yet), then the pixels of the centre
 * crop, composited onto the background, converted to the target channels and area-averaged to the target size.
 * A pure function of its inputs and settings: the same bytes always give the same pixels and id. Thread-safe.
 */
public final class ImageNormalizer {

    private final NormalizerSettings settings;
    private final ImageDecoder decoder;

    public ImageNormalizer(NormalizerSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.decoder = new ImageDecoder(settings);
    }

    /**
     * What can be checked before any pixel is decoded (the format, and the declared width and height against {@code
     * maxPixels} and {@code minSide}): the rejection {@link #normalize} would give for it, or empty. Cheap enough for
     * an upload path to answer with before it accepts the bytes.
     */
    public Optional<Outcome.Rejected> checkDeclared(byte[] bytes) {
        return decoder.checkHeader(bytes);
    }

    /** The settings this normaliser applies. */
    public NormalizerSettings settings() {
        return settings;
    }

    /**
     * Normalises one input.
     *
     * @param bytes the encoded image (null counts as empty)
     * @param label the {@code gan.label} text, if the input had one
     */
    public Outcome normalize(byte[] bytes, Optional<String> label) {
        if (bytes == null || bytes.length == 0) {
            return new Outcome.Rejected(ImageRejectReason.EMPTY, "The record has no bytes; send the encoded image as the record value.");
        }
        if (bytes.length > settings.maxBytes()) {
            return new Outcome.Rejected(ImageRejectReason.TOO_LARGE, "The image has " + bytes.length + " bytes, over the limit of "
                    + settings.maxBytes() + "; downscale or recompress it, or raise --max-bytes.");
        }
        OptionalInt classIndex = OptionalInt.empty();
        if (label.isPresent()) {
            classIndex = settings.classes().resolve(label.get());
            if (classIndex.isEmpty()) {
                return new Outcome.Rejected(ImageRejectReason.BAD_LABEL, "The label '" + abbreviate(label.get()) + "' is not "
                        + settings.classes().describe() + "; fix the label or the --classes list.");
            }
        }
        return switch (decoder.decode(bytes)) {
            case ImageDecoder.Refused refused -> refused.rejection();
            case ImageDecoder.Decoded decoded -> {
                ImageShape shape = settings.shape();
                byte[] pixels = AreaResize.resize(new CompositedRows(decoded.image(), shape.channels(), settings.background()),
                        decoded.image().getWidth(), decoded.image().getHeight(), shape.channels(), shape.width(), shape.height());
                CanonicalImage image = new CanonicalImage(shape, pixels);
                yield new Outcome.Accepted(image, Hashes.imageId(image), classIndex);
            }
        };
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
}
