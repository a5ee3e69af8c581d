package dev.ganpipe.trainer.data;

import org.apache.kafka.common.TopicPartition;

/**
 * One training image decoded to CHW floats in [-1, 1], with where it came from (for offset commits).
 *
 * @param pixels C*H*W floats
 * @param partition source partition
 * @param offset source offset
 */
public record DecodedImage(float[] pixels, TopicPartition partition, long offset) {
}
