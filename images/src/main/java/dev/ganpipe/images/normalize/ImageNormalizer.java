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
        return decoder.header(bytes) instanceof ImageDecoder.Refused refused ? Optional.of(refused.rejection()) : Optional.empty();
    }

    /**
     * What an image is before it is normalised, to decide a dataset's shape from its images: the declared size, and,
     * when {@code pixels} is true, whether every pixel is gray once alpha is composited onto the background (which
     * decodes every pixel, within the same limits as {@link #normalize}). Empty when {@link #normalize} would refuse
     * the image before reading its pixels, or cannot decode them.
     */
    public Optional<ImageFacts> inspect(byte[] bytes, boolean pixels) {
        if (bytes == null || bytes.length == 0 || bytes.length > settings.maxBytes()) {
            return Optional.empty();
        }
        if (!pixels) {
            return decoder.header(bytes) instanceof ImageDecoder.Header header
                    ? Optional.of(new ImageFacts(header.format(), header.width(), header.height(), Optional.empty()))
                    : Optional.empty();
        }
        if (!(decoder.decodeWhole(bytes) instanceof ImageDecoder.Decoded decoded)) {
            return Optional.empty();
        }
        int width = decoded.image().getWidth();
        int height = decoded.image().getHeight();
        CompositedRows rows = new CompositedRows(decoded.image(), 3, settings.background());
        double[] row = new double[width * 3];
        boolean gray = true;
        for (int y = 0; y < height && gray; y++) {
            rows.read(y, row);
            for (int x = 0; x < width && gray; x++) {
                // Half a level of difference: JPEG's colour conversion leaves gray images a rounding away from equal.
                gray = Math.abs(row[3 * x] - row[3 * x + 1]) <= 0.5 && Math.abs(row[3 * x + 1] - row[3 * x + 2]) <= 0.5;
            }
        }
        return Optional.of(new ImageFacts(decoded.format(), width, height, Optional.of(gray)));
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
            case ImageDecoder.Header header -> throw new IllegalStateException("Decoding for normalising read the header of a "
                    + header.format() + " alone; this is a bug in ImageDecoder.");
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
