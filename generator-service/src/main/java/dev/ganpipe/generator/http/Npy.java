package dev.ganpipe.generator.http;

import dev.ganpipe.common.image.CanonicalImage;
import dev.ganpipe.common.image.ImageShape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes images as one NumPy {@code .npy} (format version 1.0) array of {@code uint8}, shape {@code [N, C, H, W]},
 * so {@code numpy.load} gives the batch in the layout the model produced.
 */
public final class Npy {

    /** The magic string every .npy file starts with. */
    public static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    // Magic, two version bytes and the two-byte header length.
    private static final int PREAMBLE = MAGIC.length + 4;
    // NumPy aligns the data to 64 bytes; readers accept any padding, so we follow NumPy's own writer.
    private static final int ALIGNMENT = 64;

    private Npy() {
    }

    /** The .npy bytes of same-shaped images as uint8 NCHW. */
    public static byte[] uint8Nchw(List<CanonicalImage> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("A .npy batch needs at least one image.");
        }
        ImageShape s = images.getFirst().shape();
        String dict = "{'descr': '|u1', 'fortran_order': False, 'shape': (" + images.size() + ", " + s.channels() + ", "
                + s.height() + ", " + s.width() + "), }";
        int unpadded = PREAMBLE + dict.length() + 1;
        String header = dict + " ".repeat((ALIGNMENT - unpadded % ALIGNMENT) % ALIGNMENT) + "\n";
        ByteBuffer out = ByteBuffer.allocate(PREAMBLE + header.length() + images.size() * s.values()).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        int plane = s.width() * s.height();
        for (CanonicalImage image : images) {
            if (!image.shape().equals(s)) {
                throw new IllegalArgumentException("All images of a .npy batch share one shape; got " + s + " and " + image.shape() + ".");
            }
            byte[] hwc = image.pixels();
            for (int c = 0; c < s.channels(); c++) {
                for (int p = 0; p < plane; p++) {
                    out.put(hwc[p * s.channels() + c]);
                }
            }
        }
        return out.array();
    }
}
