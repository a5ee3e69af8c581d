package dev.ganpipe.generator.batch;

import dev.ganpipe.common.model.onnx.GeneratorOutput;
import dev.ganpipe.generator.model.LoadedModel;
import java.util.concurrent.CompletableFuture;

/**
 * One generate call while the batcher works on it: its inputs, how many of its rows are done, and where their images
 * go. Its progress is touched only by the dispatcher thread; the caller only waits on {@link #result}.
 */
final class Call {

    final LoadedModel model;
    final float[] z;
    // Null for an unconditional model.
    final long[] labels;
    final int count;
    final CompletableFuture<GeneratorOutput> result = new CompletableFuture<>();
    // Rows generated so far; the next pass continues from here.
    int done;
    // Whether the last pass took rows of this call, so the next one starts with those it did not.
    boolean served;
    private float[] images;
    private float[] confidences;

    Call(LoadedModel model, float[] z, long[] labels, int count) {
        this.model = model;
        this.z = z;
        this.labels = labels;
        this.count = count;
    }

    /** Stores the images of this call's next {@code rows} rows from {@code out}, and answers the caller once all are in. */
    void take(GeneratorOutput out, int firstRow, int rows, int valuesPerImage) {
        served = true;
        if (done == 0 && rows == count && firstRow == 0 && out.images().length == count * valuesPerImage) {
            // The whole call in one pass, alone: its output is the answer as it is.
            done = count;
            result.complete(out);
            return;
        }
        if (images == null) {
            images = new float[Math.multiplyExact(count, valuesPerImage)];
            confidences = out.hasConfidences() ? new float[count] : null;
        }
        System.arraycopy(out.images(), firstRow * valuesPerImage, images, done * valuesPerImage, rows * valuesPerImage);
        if (confidences != null) {
            System.arraycopy(out.confidences(), firstRow, confidences, done, rows);
        }
        done += rows;
        if (done == count) {
            result.complete(new GeneratorOutput(images, confidences));
        }
    }
}
