package dev.ganpipe.generator.http;

import dev.ganpipe.common.Json;
import dev.ganpipe.common.image.CanonicalImage;
import dev.ganpipe.common.image.ImageGrid;
import dev.ganpipe.common.image.PngEncoder;
import dev.ganpipe.common.http.HttpError;
import dev.ganpipe.generator.images.GeneratedImages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The response formats of {@code /v1/generate}: how generated images are encoded for the caller. Every encoding is
 * deterministic: the same images give the same bytes, so the same seed on the same model version gives the same
 * response.
 */
public enum ResponseFormat {
    /** One PNG with the images in a grid of {@code ceil(sqrt(count))} columns. */
    GRID("image/png", "png"),
    /** One PNG of a single image. */
    PNG("image/png", "png"),
    /**
     * A zip of one PNG per image, {@code image-0000.png} onwards, and, from a model that ships its classifier,
     * {@value #ZIP_IMAGES_JSON}: per image its file, noise row ({@code index}), label and confidence.
     */
    ZIP("application/zip", "zip"),
    /** A NumPy .npy uint8 array [N, C, H, W]. */
    NPY("application/octet-stream", "npy");

    /** The zip entry that lists each image's index, label and confidence. */
    public static final String ZIP_IMAGES_JSON = "images.json";
    /** Pixels between and around grid tiles. */
    public static final int GRID_PADDING = 2;
    /** Value of the grid padding (black, as DCGAN sample grids). */
    public static final int GRID_BACKGROUND = 0;
    // A fixed time for zip entries: the same images must give the same bytes.
    private static final LocalDateTime ZIP_ENTRY_TIME = LocalDateTime.of(2000, 1, 1, 0, 0);

    private final String contentType;
    private final String extension;

    ResponseFormat(String contentType, String extension) {
        this.contentType = contentType;
        this.extension = extension;
    }

    public String contentType() {
        return contentType;
    }

    public String extension() {
        return extension;
    }

    /** The name used in the {@code format} query parameter. */
    public String parameter() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses the {@code format} query parameter.
     *
     * @throws HttpError 400 naming the formats there are
     */
    public static ResponseFormat parse(String text) {
        for (ResponseFormat format : values()) {
            if (format.parameter().equalsIgnoreCase(text.trim())) {
                return format;
            }
        }
        throw HttpError.badRequest("Query parameter 'format' must be one of "
                + Arrays.stream(values()).map(ResponseFormat::parameter).collect(Collectors.joining(", ")) + ", but was '"
                + (text.length() > 20 ? text.substring(0, 20) + "..." : text) + "'.");
    }

    /** Encodes the images in this format; a zip also lists their indices, labels and confidences when there are confidences. */
    public byte[] encode(GeneratedImages generated) {
        return this == ZIP ? zip(generated.images(), generated.confidences() == null ? null : imagesJson(generated)) : encode(generated.images());
    }

    /** The confidences as the {@code X-Label-Confidence} header gives them: comma-separated, image order. */
    static String confidences(GeneratedImages generated) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < generated.count(); i++) {
            text.append(i == 0 ? "" : ",").append(generated.confidences()[i]);
        }
        return text.toString();
    }

    private static byte[] imagesJson(GeneratedImages generated) {
        List<Map<String, Object>> rows = new ArrayList<>(generated.count());
        for (int i = 0; i < generated.count(); i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("file", imageName(i));
            row.put("index", generated.indices()[i]);
            row.put("label", generated.labels()[i]);
            row.put("confidence", generated.confidences()[i]);
            rows.add(row);
        }
        return Json.bytes(Map.of("images", rows));
    }

    private static String imageName(int i) {
        return String.format(Locale.ROOT, "image-%04d.png", i);
    }

    /** Encodes the images in this format. */
    public byte[] encode(List<CanonicalImage> images) {
        return switch (this) {
            case GRID -> grid(images, ImageGrid.columnsFor(images.size()));
            case PNG -> {
                if (images.size() != 1) {
                    throw new IllegalArgumentException("format=png holds exactly one image, but " + images.size() + " were given.");
                }
                yield png(images.getFirst());
            }
            case ZIP -> zip(images, null);
            case NPY -> Npy.uint8Nchw(images);
        };
    }

    /** A PNG grid of the images with {@code columns} columns. */
    public static byte[] grid(List<CanonicalImage> images, int columns) {
        return png(ImageGrid.compose(images, columns, GRID_PADDING, GRID_BACKGROUND));
    }

    private static byte[] png(CanonicalImage image) {
        try (PngEncoder encoder = GeneratedImages.pngEncoder()) {
            return encoder.encode(image);
        }
    }

    private static byte[] zip(List<CanonicalImage> images, byte[] imagesJson) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes); PngEncoder encoder = GeneratedImages.pngEncoder()) {
            for (int i = 0; i < images.size(); i++) {
                byte[] png = encoder.encode(images.get(i));
                stored(zip, imageName(i), png);
            }
            if (imagesJson != null) {
                stored(zip, ZIP_IMAGES_JSON, imagesJson);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Writing a zip into memory failed.", e);
        }
        return bytes.toByteArray();
    }

    private static void stored(ZipOutputStream zip, String name, byte[] content) throws IOException {
        // Stored, not deflated: PNG is already compressed, and the JSON is small.
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(content.length);
        entry.setCompressedSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        entry.setCrc(crc.getValue());
        entry.setTimeLocal(ZIP_ENTRY_TIME);
        zip.putNextEntry(entry);
        zip.write(content);
        zip.closeEntry();
    }
}
