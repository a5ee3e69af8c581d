package dev.ganpipe.quality;

import dev.ganpipe.quality.data.RealData;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes gray data sets as gzipped IDX images and labels files, as the MNIST releases ship them. */
public final class IdxWriter {

    private IdxWriter() {
    }

    /** Writes {@code <prefix>-images-idx3-ubyte.gz} and {@code <prefix>-labels-idx1-ubyte.gz} into {@code dir}. */
    public static Path write(Path dir, String prefix, RealData data) throws IOException {
        Path images = dir.resolve(prefix + "-images-idx3-ubyte.gz");
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(images)))) {
            out.writeInt(0x00000803);
            out.writeInt(data.count());
            out.writeInt(data.shape().height());
            out.writeInt(data.shape().width());
            for (int i = 0; i < data.count(); i++) {
                out.write(data.image(i).pixels());
            }
        }
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(dir.resolve(prefix + "-labels-idx1-ubyte.gz"))))) {
            out.writeInt(0x00000801);
            out.writeInt(data.count());
            for (int i = 0; i < data.count(); i++) {
                out.writeByte(data.label(i));
            }
        }
        return images;
    }
}
