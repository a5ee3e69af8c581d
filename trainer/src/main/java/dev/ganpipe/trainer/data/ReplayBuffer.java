package dev.ganpipe.trainer.data;

import dev.ganpipe.common.model.NoiseRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * A fixed-size uniform sample of every image seen so far, held as 8-bit values (one byte per value) (reservoir sampling, Vitter's algorithm R), so batches
 * can mix in older images and the generator does not forget classes that stopped arriving. Used by the training
 * thread only: not thread-safe.
 *
 * <p>Replayed images are drawn in shuffled passes, without replacement: each pass is a random permutation of the slots
 * filled when it began, as the epochs of a plain training script are (random reshuffling, which converges faster than
 * sampling with replacement). Once a stream has been read, the trainer's batches are thus epochs over the buffer; a slot
 * filled or replaced during a pass holds the newer image when its turn comes, and images added during a pass (each was
 * just trained on as a fresh image) join the next one.
 *
 * <p>Its whole state (images, labels, the reservoir counter and the random generator) goes into every checkpoint
 * ({@link #snapshot()}, {@link #restore}), so a restarted trainer still remembers classes that stopped arriving
 * before the crash. The generator is {@link NoiseRandom}, which draws exactly what {@code java.util.Random} would
 * but exposes its state.
 */
public final class ReplayBuffer {

    /** Memory the default capacity fills: enough for Fashion-MNIST 5x over, or 21,845 images of 64x64 RGB. */
    public static final long DEFAULT_BYTES = 256L << 20;
    /** Upper bound of the default capacity, whatever the image size. */
    public static final int MAX_DEFAULT_CAPACITY = 1_000_000;

    private final int capacity;
    private final List<byte[]> images;
    private final List<Integer> labels;
    private final NoiseRandom random;
    private long offered;
    /** The current pass: a permutation of {@code pass.size()} slots drawn from {@code pass.seed()}, read up to its position. */
    private Pass pass = Pass.NONE;
    private int[] passOrder = new int[0];

    /**
     * The default capacity for images of {@code imageValues} bytes: as many as fit in {@link #DEFAULT_BYTES}, at most
     * {@link #MAX_DEFAULT_CAPACITY}. A dataset that fits stays whole in the buffer, so once its stream has been read the
     * trainer keeps training on all of it rather than on a sample (a 10,000-image buffer kept a fifth of Fashion-MNIST).
     */
    public static int defaultCapacity(int imageValues) {
        if (imageValues < 1) {
            throw new IllegalArgumentException("An image has at least one value, but imageValues was " + imageValues + ".");
        }
        return (int) Math.min(MAX_DEFAULT_CAPACITY, DEFAULT_BYTES / imageValues);
    }

    public ReplayBuffer(int capacity, long seed) {
        this(capacity, new NoiseRandom(seed), 0);
    }

    private ReplayBuffer(int capacity, NoiseRandom random, long offered) {
        if (capacity < 1) {
            throw new IllegalArgumentException("The replay buffer needs room for at least one image, but capacity was " + capacity + ".");
        }
        this.capacity = capacity;
        this.images = new ArrayList<>(Math.min(capacity, 1 << 16));
        this.labels = new ArrayList<>(Math.min(capacity, 1 << 16));
        this.random = random;
        this.offered = offered;
    }

    /**
     * A buffer that continues exactly where {@code snapshot} was: the same images in the same slots, the same
     * counter and random stream, so it replaces and samples as the original would have.
     *
     * <p>With a smaller {@code capacity} than the snapshot holds, a uniformly random subset of it is kept (still a
     * uniform sample of the stream); with a larger one, the buffer fills up with the next images offered.
     *
     * @param capacity the capacity configured now
     */
    public static ReplayBuffer restore(Snapshot snapshot, int capacity) {
        ReplayBuffer buffer = new ReplayBuffer(capacity, NoiseRandom.restore(snapshot.random()), snapshot.offered());
        int size = snapshot.size();
        int[] order = new int[size];
        Arrays.setAll(order, i -> i);
        if (size > capacity) {
            // A partial Fisher-Yates shuffle picks which slots survive, then they keep their original order.
            for (int i = 0; i < capacity; i++) {
                int j = i + buffer.random.nextInt(size - i);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            order = Arrays.copyOf(order, capacity);
            Arrays.sort(order);
        }
        for (int slot : order) {
            buffer.images.add(snapshot.images().get(slot));
            buffer.labels.add(snapshot.labels()[slot]);
        }
        if (size <= capacity && snapshot.pass().size() > 0) {
            // the same slots: the pass goes on where it was (a smaller buffer renumbers them and starts a new pass)
            buffer.pass = snapshot.pass();
            buffer.passOrder = permutation(snapshot.pass().size(), snapshot.pass().seed());
        }
        return buffer;
    }

    /**
     * The buffer's state, for a checkpoint. The image arrays are shared, not copied: nothing writes to an image
     * once it was offered, and offering replaces a slot's array rather than changing it.
     */
    public Snapshot snapshot() {
        int[] labelArray = new int[labels.size()];
        for (int i = 0; i < labelArray.length; i++) {
            labelArray[i] = labels.get(i);
        }
        return new Snapshot(capacity, offered, random.state(), List.copyOf(images), labelArray, pass);
    }

    /** Offers one image without a label; see {@link #offer(byte[], int)}. */
    public void offer(byte[] image) {
        offer(image, DecodedImage.NO_LABEL);
    }

    /**
     * Offers one image (CHW 8-bit values, {@code ModelPixels.toModelBytes}) and its label; it replaces a random slot with
     * probability capacity / seen once full.
     */
    public void offer(byte[] image, int label) {
        if (!images.isEmpty() && image.length != images.getFirst().length) {
            throw new IllegalArgumentException("Every image in the replay buffer must have the same size, but one of "
                    + image.length + " values was offered to a buffer of images of " + images.getFirst().length + ".");
        }
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

    /** The next image of the current shuffled pass (see the class comment). */
    public byte[] sample() {
        return images.get(sampleSlot());
    }

    /** The slot of the next image of the current shuffled pass, for {@link #image} and {@link #label}. */
    public int sampleSlot() {
        if (images.isEmpty()) {
            throw new IllegalStateException("The replay buffer is empty; offer images before sampling.");
        }
        if (pass.position() >= pass.size()) {
            long seed = random.nextLong();
            pass = new Pass(seed, images.size(), 0);
            passOrder = permutation(images.size(), seed);
        }
        int slot = passOrder[pass.position()];
        pass = new Pass(pass.seed(), pass.size(), pass.position() + 1);
        return slot;
    }

    /** A Fisher-Yates shuffle of {@code 0 .. size - 1} drawn from {@code seed}: a pass is rebuilt from its seed alone. */
    private static int[] permutation(int size, long seed) {
        Random random = new Random(seed);
        int[] order = new int[size];
        Arrays.setAll(order, i -> i);
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** The image in a slot. */
    public byte[] image(int slot) {
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

    /**
     * Where a shuffled pass stands.
     *
     * @param seed seed of the pass's permutation
     * @param size slots the pass covers (those filled when it began)
     * @param position images of the pass drawn so far
     */
    public record Pass(long seed, int size, int position) {

        /** No pass under way: the next draw begins one. */
        public static final Pass NONE = new Pass(0, 0, 0);

        /** Checks that the position lies within the pass. */
        public Pass {
            if (size < 0 || position < 0 || position > size) {
                throw new IllegalArgumentException("A replay pass needs 0 <= position <= size, but had position " + position
                        + " of " + size + ".");
            }
        }
    }

    /**
     * A replay buffer's complete state.
     *
     * @param capacity the capacity it had
     * @param offered how many images were ever offered to it (the reservoir counter)
     * @param random the state of its random generator
     * @param images the stored images by slot, each of the same length
     * @param labels the label of each slot, {@link DecodedImage#NO_LABEL} for none
     * @param pass where the shuffled pass stands ({@link Pass#NONE} for none, as in checkpoints written before passes)
     */
    public record Snapshot(int capacity, long offered, NoiseRandom.State random, List<byte[]> images, int[] labels, Pass pass) {

        /** Checks that the parts fit together. */
        public Snapshot {
            Objects.requireNonNull(random, "random is null; take the state from NoiseRandom.state().");
            Objects.requireNonNull(pass, "pass is null; use Pass.NONE for none.");
            images = List.copyOf(images);
            if (pass.size() > images.size()) {
                throw new IllegalArgumentException("A replay buffer snapshot's pass covers " + pass.size() + " slots, but it holds only "
                        + images.size() + " images.");
            }
            if (capacity < 1 || images.size() > capacity || labels.length != images.size() || offered < images.size()) {
                throw new IllegalArgumentException("A replay buffer snapshot needs 1 <= capacity, as many labels as "
                        + "images, at most capacity images and at least as many offered, but had capacity " + capacity
                        + ", " + images.size() + " images, " + labels.length + " labels and " + offered + " offered.");
            }
            int values = images.isEmpty() ? 0 : images.getFirst().length;
            for (byte[] image : images) {
                if (image.length != values) {
                    throw new IllegalArgumentException("Every image of a replay buffer snapshot must have the same "
                            + "size, but it holds images of " + values + " and of " + image.length + " values.");
                }
            }
        }

        /** The stored images. */
        public int size() {
            return images.size();
        }

        /** Values per image (channels x height x width), 0 when empty. */
        public int imageValues() {
            return images.isEmpty() ? 0 : images.getFirst().length;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Snapshot s) || capacity != s.capacity || offered != s.offered || !random.equals(s.random)
                    || !pass.equals(s.pass) || !Arrays.equals(labels, s.labels) || images.size() != s.images.size()) {
                return false;
            }
            for (int i = 0; i < images.size(); i++) {
                if (!Arrays.equals(images.get(i), s.images.get(i))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            int h = Objects.hash(capacity, offered, random, pass) * 31 + Arrays.hashCode(labels);
            for (byte[] image : images) {
                h = 31 * h + Arrays.hashCode(image);
            }
            return h;
        }

        @Override
        public String toString() {
            return "ReplayBuffer.Snapshot[capacity " + capacity + ", " + images.size() + " images of " + imageValues()
                    + " values, " + offered + " offered]";
        }
    }
}
