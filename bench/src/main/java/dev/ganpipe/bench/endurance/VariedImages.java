package dev.ganpipe.bench.endurance;

import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.image.Png;
import dev.ganpipe.images.source.IdxImageSource;
import dev.ganpipe.images.source.SampleData;
import dev.ganpipe.images.source.SourceImage;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Images for part 3 when the Fashion-MNIST training set is absent or too small: the bundled 500-image sample,
 * replicated with the variant number written into the first three pixels, so that every copy has other canonical
 * pixels and thus its own image id on {@code images.train}. Written as an IDX images file, so that ingest reads it
 * through its production IDX reader.
 */
final class VariedImages {

    /** IDX magic of an unsigned-byte, three-dimensional (images) file. */
    static final int IDX_IMAGES_MAGIC = 0x0000_0803;

    private VariedImages() {
    }

    /** A copy of {@code pixels} whose first three bytes hold {@code variant} (little end first); variant 0 is the original's corner. */
    static byte[] vary(byte[] pixels, int variant) {
        if (variant < 0 || variant >= 1 << 24) {
            throw new IllegalArgumentException("The variant number must be between 0 and 16,777,215, but was " + variant
                    + "; ask for fewer images.");
        }
        if (pixels.length < 3) {
            throw new IllegalArgumentException("An image needs at least 3 pixels to carry a variant number, but has " + pixels.length + ".");
        }
        byte[] copy = pixels.clone();
        copy[0] = (byte) variant;
        copy[1] = (byte) (variant >>> 8);
        copy[2] = (byte) (variant >>> 16);
        return copy;
    }

    /** Writes {@code count} images to {@code file}: base image {@code i % bases}, variant {@code i / bases}. */
    static Path writeIdx(Path file, int count) throws IOException {
        List<byte[]> bases = new ArrayList<>();
        try (IdxImageSource sample = SampleData.fashionMnist()) {
            for (Optional<SourceImage> next = sample.next(); next.isPresent(); next = sample.next()) {
                bases.add(Png.decode(next.get().encodedBytes(), ImageShape.FASHION_MNIST).pixels());
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream raw = Files.newOutputStream(file); DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw))) {
            out.writeInt(IDX_IMAGES_MAGIC);
            out.writeInt(count);
            out.writeInt(ImageShape.FASHION_MNIST.height());
            out.writeInt(ImageShape.FASHION_MNIST.width());
            for (int i = 0; i < count; i++) {
                out.write(vary(bases.get(i % bases.size()), i / bases.size()));
            }
        }
        return file;
    }
}
