package dev.ganpipe.images.source;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * The data bundled in the images jar: the first 500 Fashion-MNIST training images with their labels (see
 * {@code samples/fashion-mnist/README.md} for source and licence). The demo ingests it when no data is given.
 */
public final class SampleData {

    /** The name that stands for the sample wherever a path is accepted, e.g. {@code gan ingest sample:fashion-mnist}. */
    public static final String FASHION_MNIST = "sample:fashion-mnist";
    /** How many images the sample holds. */
    public static final int FASHION_MNIST_COUNT = 500;

    private static final String DIR = "/samples/fashion-mnist/";

    private SampleData() {
    }

    /** Opens the Fashion-MNIST sample: 500 labelled 28x28 gray images, encoded as PNG. */
    public static IdxImageSource fashionMnist() throws IOException {
        InputStream images = resource("train-images-idx3-ubyte.gz");
        try {
            return IdxImageSource.of(FASHION_MNIST, images, Optional.of(resource("train-labels-idx1-ubyte.gz")));
        } catch (IOException | RuntimeException e) {
            images.close();
            throw e;
        }
    }

    private static InputStream resource(String name) {
        InputStream in = SampleData.class.getResourceAsStream(DIR + name);
        if (in == null) {
            throw new IllegalStateException("The images jar lacks " + DIR + name + "; it was built without its resources. Rebuild it with ./gan build.");
        }
        return in;
    }
}
