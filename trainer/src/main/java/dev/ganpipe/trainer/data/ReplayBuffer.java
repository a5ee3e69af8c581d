package dev.ganpipe.trainer.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A fixed-size uniform sample of every image seen so far (reservoir sampling, Vitter's algorithm R), so batches
 * can mix in older images and the generator does not forget classes that stopped arriving. Used by the training
 * thread only: not thread-safe.
 */
public final class ReplayBuffer {

    private final int capacity;
    private final List<float[]> images;
    private final Random random;
    private long offered;

    public ReplayBuffer(int capacity, long seed) {
        if (capacity < 1) {
            throw new IllegalArgumentException("The replay buffer needs room for at least one image, but capacity was " + capacity + ".");
        }
        this.capacity = capacity;
        this.images = new ArrayList<>(Math.min(capacity, 1 << 16));
        this.random = new Random(seed);
    }

    /** Offers one image; it replaces a random slot with probability capacity / seen once the buffer is full. */
    public void offer(float[] image) {
        offered++;
        if (images.size() < capacity) {
            images.add(image);
            return;
        }
        long slot = (long) (random.nextDouble() * offered);
        if (slot < capacity) {
            images.set((int) slot, image);
        }
    }

    /** A uniformly random stored image (with replacement). */
    public float[] sample() {
        if (images.isEmpty()) {
            throw new IllegalStateException("The replay buffer is empty; offer images before sampling.");
        }
        return images.get(random.nextInt(images.size()));
    }

    public int size() {
        return images.size();
    }

    public int capacity() {
        return capacity;
    }

    /** How many images were ever offered. */
    public long offered() {
        return offered;
    }
}
