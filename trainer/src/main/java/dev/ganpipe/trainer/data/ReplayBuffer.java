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
    private final List<Integer> labels;
    private final Random random;
    private long offered;

    public ReplayBuffer(int capacity, long seed) {
        if (capacity < 1) {
            throw new IllegalArgumentException("The replay buffer needs room for at least one image, but capacity was " + capacity + ".");
        }
        this.capacity = capacity;
        this.images = new ArrayList<>(Math.min(capacity, 1 << 16));
        this.labels = new ArrayList<>(Math.min(capacity, 1 << 16));
        this.random = new Random(seed);
    }

    /** Offers one image without a label; see {@link #offer(float[], int)}. */
    public void offer(float[] image) {
        offer(image, DecodedImage.NO_LABEL);
    }

    /** Offers one image and its label; it replaces a random slot with probability capacity / seen once full. */
    public void offer(float[] image, int label) {
        offered++;
        if (images.size() < capacity) {
            images.add(image);
            labels.add(label);
            return;
        }
        long slot = (long) (random.nextDouble() * offered);
        if (slot < capacity) {
            images.set((int) slot, image);
            labels.set((int) slot, label);
        }
    }

    /** A uniformly random stored image (with replacement). */
    public float[] sample() {
        return images.get(sampleSlot());
    }

    /** The slot of a uniformly random stored image (with replacement), for {@link #image} and {@link #label}. */
    public int sampleSlot() {
        if (images.isEmpty()) {
            throw new IllegalStateException("The replay buffer is empty; offer images before sampling.");
        }
        return random.nextInt(images.size());
    }

    /** The image in a slot. */
    public float[] image(int slot) {
        return images.get(slot);
    }

    /** The label of the image in a slot, or {@link DecodedImage#NO_LABEL}. */
    public int label(int slot) {
        return labels.get(slot);
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
