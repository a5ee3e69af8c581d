package dev.ganpipe.trainer.data;

import org.apache.kafka.common.TopicPartition;

/**
 * One training image decoded to CHW floats in [-1, 1], with where it came from (for offset commits).
 *
 * @param pixels C*H*W floats
 * @param partition source partition
 * @param offset source offset
 * @param label class label from the {@code gan.label} header, or {@link #NO_LABEL}
 */
public record DecodedImage(float[] pixels, TopicPartition partition, long offset, int label) {

    /** The label of an image without one (or when labels are not used). */
    public static final int NO_LABEL = -1;

    /** An image without a label. */
    public DecodedImage(float[] pixels, TopicPartition partition, long offset) {
        this(pixels, partition, offset, NO_LABEL);
    }
}
