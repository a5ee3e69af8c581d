package dev.ganpipe.quality;

import dev.ganpipe.quality.data.RealData;
import java.io.IOException;
import java.nio.file.Path;

/** Writes gray data sets as gzipped IDX images and labels files, as the MNIST releases ship them. */
public final class IdxWriter {

    private IdxWriter() {
    }

    /** Writes {@code <prefix>-images-idx3-ubyte.gz} and {@code <prefix>-labels-idx1-ubyte.gz} into {@code dir}. */
    public static Path write(Path dir, String prefix, RealData data) throws IOException {
        Path images = dir.resolve(prefix + "-images-idx3-ubyte.gz");
        dev.ganpipe.images.source.IdxWriter.write(images, dir.resolve(prefix + "-labels-idx1-ubyte.gz"), data.count(), data.shape().height(),
                data.shape().width(), i -> data.image(i).pixels(), data::label);
        return images;
    }
}
