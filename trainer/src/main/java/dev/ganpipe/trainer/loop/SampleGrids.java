package dev.ganpipe.trainer.loop;

import dev.ganpipe.common.image.CanonicalImage;
import dev.ganpipe.common.image.ImageGrid;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.image.ModelPixels;
import dev.ganpipe.common.image.Png;
import dev.ganpipe.common.model.ModelDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fixed-noise sample grids, as in the DCGAN tutorials: the same noise every time, so grids over steps show how the
 * generator evolves. Each grid is written as {@code step-NNNNNNN.png} and {@code latest.png} (atomically) and kept
 * in memory for {@code /v1/samples/latest.png}.
 */
public final class SampleGrids {

    private final Path directory;
    private final ImageShape shape;
    private volatile byte[] latest;

    public SampleGrids(Path directory, ImageShape shape) {
        this.directory = directory;
        this.shape = shape;
    }

    /** Turns generator output into a grid PNG, writes it, and returns the PNG bytes. */
    public byte[] write(long step, float[] generated, int count) {
        List<CanonicalImage> images = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            images.add(ModelPixels.fromModelOutput(generated, i * shape.values(), shape));
        }
        byte[] png = Png.encode(ImageGrid.compose(images, ImageGrid.columnsFor(count), 2, 0));
        try {
            Files.createDirectories(directory);
            ModelDirectory.atomicWrite(directory.resolve(String.format("step-%07d.png", step)), png);
            ModelDirectory.atomicWrite(directory.resolve("latest.png"), png);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write a sample grid to " + directory.toAbsolutePath()
                    + "; check that the samples directory is writable and the disk has space.", e);
        }
        latest = png;
        return png;
    }

    /** The newest grid, or null before the first. */
    public byte[] latest() {
        return latest;
    }

    public Path directory() {
        return directory;
    }
}
