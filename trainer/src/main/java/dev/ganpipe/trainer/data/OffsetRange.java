package dev.ganpipe.trainer.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.common.TopicPartition;

/**
 * A run of consecutive offsets of one partition, both ends included, e.g. {@code images.train-0@16..23}.
 *
 * @param partition the partition
 * @param first first offset
 * @param last last offset, at least {@code first}
 */
public record OffsetRange(TopicPartition partition, long first, long last) {

    /** Checks the ends. */
    public OffsetRange {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("An offset range needs 0 <= first <= last, but was " + first + ".." + last + ".");
        }
    }

    /** The images' offsets as the fewest ranges, ordered by partition and offset. */
    public static List<OffsetRange> of(List<DecodedImage> images) {
        List<DecodedImage> sorted = new ArrayList<>(images);
        sorted.sort(Comparator.comparing((DecodedImage i) -> i.partition().topic())
                .thenComparingInt(i -> i.partition().partition()).thenComparingLong(DecodedImage::offset));
        List<OffsetRange> out = new ArrayList<>();
        for (DecodedImage i : sorted) {
            OffsetRange tail = out.isEmpty() ? null : out.getLast();
            if (tail != null && tail.partition.equals(i.partition()) && i.offset() <= tail.last + 1) {
                out.set(out.size() - 1, new OffsetRange(tail.partition, tail.first, Math.max(tail.last, i.offset())));
            } else {
                out.add(new OffsetRange(i.partition(), i.offset(), i.offset()));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return partition + "@" + first + ".." + last;
    }
}
