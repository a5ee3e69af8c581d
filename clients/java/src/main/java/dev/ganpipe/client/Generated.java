package dev.ganpipe.client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The answer of {@code GET /v1/generate}: the body in the format asked for and what made it. The same seed, count and
 * label on the same model version give the same bytes, over HTTP and on {@code synthetic.images} alike.
 *
 * @param format the format asked for
 * @param body a PNG (grid, png), a zip of PNGs (zip) or a NumPy {@code .npy} file of uint8 [N, C, H, W] (npy)
 * @param modelVersion the version of the model that made the images ({@code X-Model-Version})
 * @param seed the seed used ({@code X-Seed}); the service picks one when none was given
 * @param label the class asked for ({@code X-Label}), when one was
 * @param modelName the name of the model that made them ({@code X-Model-Name}); empty from services before several
 *     models were served
 * @param confidences each image's confidence for its label from the model's shipped classifier
 *     ({@code X-Label-Confidence}), in image order; empty when the model ships none
 */
public record Generated(GenerateFormat format, byte[] body, long modelVersion, long seed, OptionalLong label, Optional<String> modelName,
        List<Double> confidences) {

    public Generated {
        Objects.requireNonNull(modelName, "modelName");
        confidences = List.copyOf(confidences);
    }

    /**
     * The single PNGs of a zip answer, in image order ({@code image-0000.png}, ...); the zip's {@code images.json}
     * (from a model that ships its classifier) is not one of them.
     *
     * @throws IllegalStateException for another format
     */
    public List<byte[]> pngs() {
        if (format != GenerateFormat.ZIP) {
            throw new IllegalStateException("Only a zip answer holds single PNGs, but this one is " + format.query()
                    + "; ask with GenerateFormat.ZIP.");
        }
        List<byte[]> pngs = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(body))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                byte[] bytes = zip.readAllBytes();
                if (entry.getName().endsWith(".png")) {
                    pngs.add(bytes);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("The generator's zip answer cannot be read: " + e.getMessage(), e);
        }
        return pngs;
    }
}
