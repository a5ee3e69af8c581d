package dev.ganpipe.trainer.data;

import org.apache.kafka.common.TopicPartition;

/**
 * One training image as canonical 8-bit values in the model's CHW order ({@code ModelPixels.toModelBytes}), with where
 * it came from (for offset commits). Images stay bytes until a batch is assembled, which converts them to floats once.
 *
 * @param pixels C*H*W values 0..255
 * @param partition source partition
 * @param offset source offset
 * @param label class label from the {@code gan.label} header, or {@link #NO_LABEL}
 */
public record DecodedImage(byte[] pixels, TopicPartition partition, long offset, int label) {

    /** The label of an image without one (or when labels are not used). */
    public static final int NO_LABEL = -1;

    /** An image without a label. */
    public DecodedImage(byte[] pixels, TopicPartition partition, long offset) {
        this(pixels, partition, offset, NO_LABEL);
    }
}
