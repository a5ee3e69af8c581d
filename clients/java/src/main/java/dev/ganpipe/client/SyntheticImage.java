package dev.ganpipe.client;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import javax.imageio.ImageIO;

/**
 * One {@code synthetic.images} record's value and headers (DESIGN.md, "Topics"). The request id is the record's key.
 *
 * @param png the image, a PNG of the model's shape
 * @param modelVersion the version of the model that made it ({@code gan.model.version})
 * @param seed the seed of its noise ({@code gan.seed}); the same seed, index and model version give the same image
 * @param index its place in its request's answer, 0 in continuous mode ({@code gan.index}); with {@code min_confidence},
 *     the row of its seed's noise it came from
 * @param label the class it was made for; empty from an unconditional model ({@code gan.label}). Class names are in
 *     the model list: {@link GeneratorClient#models()}
 * @param shape its width, height and channels ({@code gan.image.shape})
 * @param eventId the CloudEvents id, stable across redeliveries, so a consumer can drop an image it sees twice
 * @param eventTime when the generator made it ({@code ce_time}, ISO-8601)
 * @param labelConfidence the model's shipped classifier's probability, 0 to 1, that the image shows its label; empty
 *     when the model ships no classifier ({@code gan.label.confidence})
 * @param modelName the name of the model that made it ({@code gan.model.name}); empty from services older than the
 *     header
 */
public record SyntheticImage(byte[] png, long modelVersion, long seed, int index, OptionalLong label, ImageShape shape, String eventId,
        String eventTime, OptionalDouble labelConfidence, Optional<String> modelName) {

    /** An image whose model name is not known. */
    public SyntheticImage(byte[] png, long modelVersion, long seed, int index, OptionalLong label, ImageShape shape, String eventId,
            String eventTime, OptionalDouble labelConfidence) {
        this(png, modelVersion, seed, index, label, shape, eventId, eventTime, labelConfidence, Optional.empty());
    }

    /** An image without a confidence (from a model that ships no classifier). */
    public SyntheticImage(byte[] png, long modelVersion, long seed, int index, OptionalLong label, ImageShape shape, String eventId,
            String eventTime) {
        this(png, modelVersion, seed, index, label, shape, eventId, eventTime, OptionalDouble.empty());
    }

    public SyntheticImage {
        Objects.requireNonNull(png, "A synthetic image needs its PNG bytes.");
        Objects.requireNonNull(labelConfidence, "Pass OptionalDouble.empty() for an image without a confidence.");
        Objects.requireNonNull(label, "Pass OptionalLong.empty() for an image without a class.");
        Objects.requireNonNull(shape, "A synthetic image needs its shape.");
        Objects.requireNonNull(modelName, "Pass Optional.empty() for an image whose model name is not known.");
    }

    /**
     * The decoded image.
     *
     * @throws UncheckedIOException when the bytes are no PNG the JDK can read
     */
    public BufferedImage image() {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            if (image == null) {
                throw new UncheckedIOException(new IOException("Image " + eventId + " is not a PNG; synthetic.images holds PNGs only."));
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException("The PNG of image " + eventId + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the image's pixels into {@code target} from {@code offset} on, channels first (CHW), each value mapped from
     * 0..255 to [-1, 1]: the layout and range the pipeline's generators produce and its trainer consumes.
     *
     * @return the offset after the last value written
     */
    public int toModelInput(float[] target, int offset) {
        BufferedImage image = image();
        if (image.getWidth() != shape.width() || image.getHeight() != shape.height()) {
            throw new IllegalStateException("Image " + eventId + " is " + image.getWidth() + "x" + image.getHeight() + " pixels but its header says "
                    + shape + "; the record is damaged.");
        }
        int plane = shape.width() * shape.height();
        if (offset < 0 || offset + shape.values() > target.length) {
            throw new IllegalArgumentException("The target has room for " + target.length + " values but image " + eventId + " needs "
                    + shape.values() + " from offset " + offset + ".");
        }
        Raster raster = image.getRaster();
        for (int y = 0; y < shape.height(); y++) {
            for (int x = 0; x < shape.width(); x++) {
                for (int c = 0; c < shape.channels(); c++) {
                    int value = shape.channels() == raster.getNumBands() ? raster.getSample(x, y, c) : channelOf(image.getRGB(x, y), c);
                    target[offset + c * plane + y * shape.width() + x] = value / 127.5f - 1f;
                }
            }
        }
        return offset + shape.values();
    }

    // A PNG whose bands differ from the header's channels (e.g. a palette PNG) is read through its RGB colours.
    private int channelOf(int rgb, int channel) {
        if (shape.channels() == 1) {
            return (((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff)) / 3;
        }
        return (rgb >> (16 - 8 * channel)) & 0xff;
    }
}
