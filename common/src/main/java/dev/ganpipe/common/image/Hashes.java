package dev.ganpipe.common.image;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 hex digests: image ids on {@code images.train} and model checksums on {@code models.generator}. */
public final class Hashes {

    private Hashes() {
    }

    /** Lower-case hex SHA-256 of the bytes. */
    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK provides SHA-256; this JVM is broken.", e);
        }
    }

    /** The stable id of a canonical image: SHA-256 of its shape and pixels. */
    public static String imageId(CanonicalImage image) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(image.shape().toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            digest.update(image.pixels());
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK provides SHA-256; this JVM is broken.", e);
        }
    }
}
