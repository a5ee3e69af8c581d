package dev.ganpipe.trainer.publish;

import dev.ganpipe.common.model.ModelManifest;
import java.util.Map;

/**
 * Where exported generators go, the training loop's edge towards the generator service: {@link ModelPublisher}
 * writes the models directory and the models topic.
 */
public interface ModelSink {

    /**
     * Publishes one exported generator as the next version.
     *
     * @param onnx the exported model
     * @param step the training step it was exported at
     * @param imageShape the images' shape, e.g. {@code 1x28x28}
     * @param noiseDim the generator's noise size
     * @param scores losses and quality scores at export, stored in the manifest
     * @return the manifest of the published version
     * @throws IllegalStateException when it could not be published; the caller keeps training and tries at the next export
     */
    ModelManifest publish(byte[] onnx, long step, String imageShape, int noiseDim, Map<String, Double> scores);

    /** The newest version published under this model name (by this or an earlier run), 0 for none. */
    long version();

    /** The last manifest published by this run, or null. */
    ModelManifest last();
}
