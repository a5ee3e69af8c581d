package dev.ganpipe.trainer.data;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * One batch ready for a training step.
 *
 * @param pixels N*C*H*W floats in [-1, 1]
 * @param size N
 * @param fresh how many images came from the stream (the rest were replayed)
 * @param positions per partition, the next offset after the newest fresh image in this or an earlier batch: every
 *     image before it has been in a batch, so these are the offsets a checkpoint taken after this batch covers
 * @param freshOffsets where this batch's fresh images came from
 * @param labels the images' class labels, {@link DecodedImage#NO_LABEL} where an image has none
 */
public record TrainingBatch(float[] pixels, int size, int fresh, Map<TopicPartition, Long> positions,
        List<OffsetRange> freshOffsets, long[] labels) {

    /** Whether every image has a label (what a conditional GAN needs). */
    public boolean labelled() {
        for (long label : labels) {
            if (label < 0) {
                return false;
            }
        }
        return true;
    }
}
