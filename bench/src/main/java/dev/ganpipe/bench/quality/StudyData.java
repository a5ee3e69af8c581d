package dev.ganpipe.bench.quality;

import dev.ganpipe.common.image.ModelPixels;
import dev.ganpipe.quality.data.RealData;
import dev.ganpipe.trainer.data.BatchAssembler;
import dev.ganpipe.trainer.data.DecodedImage;
import dev.ganpipe.trainer.data.FreshImages;
import dev.ganpipe.trainer.data.ReplayBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.TopicPartition;

/**
 * The images every recipe trains on, in one seeded order: epochs over the first {@code usable} training images, each
 * a fresh Fisher-Yates shuffle from one {@link Random}, concatenated. The Java recipes read it through
 * {@link #source()} (what {@code BatchAssembler} reads from Kafka in the trainer); the PyTorch reference gets the
 * same indices in a file.
 */
final class StudyData {

    /** The partition the in-memory source reports; offsets are positions in the order. */
    static final TopicPartition PARTITION = new TopicPartition("quality-study", 0);

    /**
     * The equal-time mode's stated bound on training speed, steps per second: its order is written for this many steps
     * per second of training (dcgan28 at batch 64 trains about 5.5 on 2 cores), since the steps a recipe reaches in a
     * time are not known before it runs. A recipe that outruns it starts the order again (see {@link #forTime}).
     */
    static final int STEPS_PER_SECOND_BOUND = 50;

    private final RealData train;
    private final int usable;
    private final int[] order;
    private final boolean cycles;

    private StudyData(RealData train, int usable, int[] order, boolean cycles) {
        this.train = train;
        this.usable = usable;
        this.order = order;
        this.cycles = cycles;
    }

    /** {@code length} indices over the first {@code usable} images of {@code train}, shuffled per epoch with {@code seed}. */
    static StudyData of(RealData train, int usable, int length, long seed) {
        requireUsable(train, usable);
        return new StudyData(train, usable, order(usable, length, seed), false);
    }

    /**
     * The equal-time mode's order: whole epochs, enough for {@code seconds} of training at {@link #STEPS_PER_SECOND_BOUND}
     * steps of {@code batch} images per second. Both sides read this one order, the trainer's recipes through
     * {@link #source()} and the PyTorch script from a file, so the recipes still differ by their recipe alone; a recipe
     * that trains faster than the bound starts the order again from its start rather than running dry in the middle of a
     * timed run (as whole epochs, every epoch stays a permutation of the images).
     */
    static StudyData forTime(RealData train, int usable, double seconds, int batch, long seed) {
        requireUsable(train, usable);
        long wanted = (long) Math.ceil(seconds * STEPS_PER_SECOND_BOUND) * batch;
        long epochs = Math.max(1, (wanted + usable - 1) / usable);
        return new StudyData(train, usable, order(usable, Math.toIntExact(epochs * usable), seed), true);
    }

    private static void requireUsable(RealData train, int usable) {
        if (usable > train.count()) {
            throw new IllegalArgumentException("--usable-images is " + usable + " but the training set holds only " + train.count()
                    + " images; pass at most " + train.count() + ".");
        }
    }

    /** How many of the first training images the order runs over. */
    int usable() {
        return usable;
    }

    /** The order itself: {@code length} indices, each run of {@code usable} a permutation of {@code 0 .. usable - 1}. */
    static int[] order(int usable, int length, long seed) {
        if (usable < 1 || length < 0) {
            throw new IllegalArgumentException("An order needs at least one image and a length of at least 0, but got " + usable
                    + " images and length " + length + ".");
        }
        Random random = new Random(seed);
        int[] epoch = new int[usable];
        int[] out = new int[length];
        for (int filled = 0; filled < length; filled += usable) {
            for (int i = 0; i < usable; i++) {
                epoch[i] = i;
            }
            for (int i = usable - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = epoch[i];
                epoch[i] = epoch[j];
                epoch[j] = t;
            }
            System.arraycopy(epoch, 0, out, filled, Math.min(usable, length - filled));
        }
        return out;
    }

    /** The training set the indices point into. */
    RealData train() {
        return train;
    }

    /** The indices, in training order (a copy). */
    int[] order() {
        return order.clone();
    }

    /**
     * The trainer's batches for {@code recipe}, as the trainer assembles them: its images (streamed once, or epoch after
     * epoch), a replay buffer of the trainer's default capacity, the recipe's replay ratio and the idle policy 'train'.
     */
    BatchAssembler batches(Recipe recipe, int batch, long seed) {
        int values = train.shape().values();
        return new BatchAssembler(recipe.streamedOnce() ? streamedOnce() : source(), new ReplayBuffer(ReplayBuffer.defaultCapacity(values),
                seed), batch, values, recipe.replayRatio(), BatchAssembler.IdlePolicy.TRAIN, batch);
    }

    /**
     * A new source that delivers the images in order, each with its label, then runs dry; an equal-time order
     * ({@link #forTime}) starts again from its start instead.
     */
    FreshImages source() {
        return cycles ? cycling() : source(order.length);
    }

    /**
     * A new source that delivers the first epoch of the order only, each image once, then runs dry: what the trainer
     * gets from a training topic that a dataset was ingested into once. The trainer then trains on its replay buffer.
     */
    FreshImages streamedOnce() {
        return source(Math.min(order.length, usable));
    }

    private FreshImages source(int length) {
        return new FreshImages() {
            private int next;

            @Override
            public int drainTo(List<DecodedImage> into, int max, Duration timeout) {
                int added = 0;
                while (added < max && next < length) {
                    int index = order[next];
                    into.add(new DecodedImage(ModelPixels.toModelBytes(train.image(index)), PARTITION, next, train.label(index)));
                    next++;
                    added++;
                }
                return added;
            }

            @Override
            public long lag() {
                return length - next;
            }
        };
    }

    /** The order over and over; its lag is what is left of the current pass, as if the data were ingested again after each. */
    private FreshImages cycling() {
        return new FreshImages() {
            private long next;

            @Override
            public int drainTo(List<DecodedImage> into, int max, Duration timeout) {
                for (int added = 0; added < max; added++) {
                    int index = order[(int) (next % order.length)];
                    into.add(new DecodedImage(ModelPixels.toModelBytes(train.image(index)), PARTITION, next, train.label(index)));
                    next++;
                }
                return max;
            }

            @Override
            public long lag() {
                return order.length - next % order.length;
            }
        };
    }
}
