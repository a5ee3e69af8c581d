package dev.ganpipe.trainer.data;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * One batch ready for a training step.
 *
 * @param pixels N*C*H*W floats in [-1, 1]
 * @param size N
 * @param fresh how many images came from the stream (the rest were replayed)
 * @param positions per partition, the next offset after the newest fresh image in this or an earlier batch
 */
public record TrainingBatch(float[] pixels, int size, int fresh, Map<TopicPartition, Long> positions) {
}
