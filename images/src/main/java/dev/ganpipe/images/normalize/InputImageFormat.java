package dev.ganpipe.images.normalize;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * The encoding of an image handed to the normaliser, recognised by its magic bytes. The bytes decide, never a file name or
 * a Content-Type, since either can lie. Formats marked decodable are the ones DESIGN.md accepts on
 * {@code images.raw}; the others are recognised only to reject them with {@code unsupported_format} instead of
 * {@code undecodable}.
 */
public enum InputImageFormat {
    PNG("png", "image/png", List.of("png")),
    JPEG("jpeg", "image/jpeg", List.of("jpg", "jpeg", "jpe", "jfif")),
    GIF("gif", "image/gif", List.of("gif")),
    BMP("bmp", "image/bmp", List.of("bmp")),
    /** Decodable only when an ImageIO WebP plugin is on the class path. */
    WEBP("webp", "image/webp", List.of("webp")),
    TIFF("tiff", "image/tiff", List.of("tif", "tiff")),
    HEIF("heif", "image/heif", List.of("heic", "heif", "avif")),
    PSD("psd", "image/vnd.adobe.photoshop", List.of("psd")),
    PDF("pdf", "application/pdf", List.of("pdf"));

    private final String imageIoName;
    private final String mediaType;
    private final List<String> extensions;

    InputImageFormat(String imageIoName, String mediaType, List<String> extensions) {
        this.imageIoName = imageIoName;
        this.mediaType = mediaType;
        this.extensions = extensions;
    }

    /** The format the bytes start with, if any we know. */
    public static Optional<InputImageFormat> sniff(byte[] b) {
        if (startsWith(b, 0, 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a)) {
            return Optional.of(PNG);
        }
        if (startsWith(b, 0, 0xff, 0xd8, 0xff)) {
            return Optional.of(JPEG);
        }
        if (startsWith(b, 0, 'G', 'I', 'F', '8', '7', 'a') || startsWith(b, 0, 'G', 'I', 'F', '8', '9', 'a')) {
            return Optional.of(GIF);
        }
        if (startsWith(b, 0, 'B', 'M') && b.length >= 26) {
            return Optional.of(BMP);
        }
        if (startsWith(b, 0, 'R', 'I', 'F', 'F') && startsWith(b, 8, 'W', 'E', 'B', 'P')) {
            return Optional.of(WEBP);
        }
        if (startsWith(b, 0, 'I', 'I', 42, 0) || startsWith(b, 0, 'M', 'M', 0, 42)) {
            return Optional.of(TIFF);
        }
        if (startsWith(b, 4, 'f', 't', 'y', 'p') && b.length >= 12) {
            String brand = new String(b, 8, 4, StandardCharsets.US_ASCII);
            if (List.of("heic", "heix", "hevc", "mif1", "msf1", "avif", "avis").contains(brand)) {
                return Optional.of(HEIF);
            }
        }
        if (startsWith(b, 0, '8', 'B', 'P', 'S')) {
            return Optional.of(PSD);
        }
        if (startsWith(b, 0, '%', 'P', 'D', 'F')) {
            return Optional.of(PDF);
        }
        return Optional.empty();
    }

    /** The format a media type names (parameters such as {@code ; charset} ignored), with common aliases. */
    public static Optional<InputImageFormat> forMediaType(String contentType) {
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "image/png", "image/x-png" -> Optional.of(PNG);
            case "image/jpeg", "image/jpg", "image/pjpeg" -> Optional.of(JPEG);
            case "image/gif" -> Optional.of(GIF);
            case "image/bmp", "image/x-bmp", "image/x-ms-bmp" -> Optional.of(BMP);
            case "image/webp" -> Optional.of(WEBP);
            case "image/tiff" -> Optional.of(TIFF);
            case "image/heic", "image/heif", "image/avif" -> Optional.of(HEIF);
            default -> Optional.empty();
        };
    }

    /** The format a file name's extension suggests (used only to pick files out of folders and archives). */
    public static Optional<InputImageFormat> forFileName(String name) {
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        String ext = name.substring(dot + 1).toLowerCase(Locale.ROOT);
        for (InputImageFormat f : values()) {
            if (f.extensions.contains(ext)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** Whether this JVM decodes the format and DESIGN.md accepts it. */
    public boolean decodable() {
        return switch (this) {
            case PNG, JPEG, GIF, BMP -> true;
            case WEBP -> ImageIO.getImageReadersByFormatName(imageIoName).hasNext();
            default -> false;
        };
    }

    /** The ImageIO format name. */
    public String imageIoName() {
        return imageIoName;
    }

    /** The IANA media type, e.g. {@code image/png}. */
    public String mediaType() {
        return mediaType;
    }

    private static boolean startsWith(byte[] b, int offset, int... magic) {
        if (b.length < offset + magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((b[offset + i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
