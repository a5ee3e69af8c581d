package dev.ganpipe.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ReplayBufferTest {

    private static final int VALUES = 784;

    @Test
    void aRestoredBufferReplacesAndSamplesExactlyAsTheOriginalWouldHave() {
        ReplayBuffer original = new ReplayBuffer(50, 7);
        Random images = new Random(1);
        for (int i = 0; i < 180; i++) {
            original.offer(image(images, i), i % 10);
        }
        ReplayBuffer restored = ReplayBuffer.restore(original.snapshot(), 50);
        assertThat(restored.snapshot()).isEqualTo(original.snapshot());
        assertThat(restored.offered()).isEqualTo(180);

        // The same future: the same slots replaced by the next images, the same slots sampled.
        for (int i = 180; i < 400; i++) {
            byte[] next = image(images, i);
            original.offer(next, i % 10);
            restored.offer(next, i % 10);
            if (i % 3 == 0) {
                int slot = original.sampleSlot();
                assertThat(restored.sampleSlot()).as("sample after image %d", i).isEqualTo(slot);
            }
        }
        assertThat(restored.snapshot()).isEqualTo(original.snapshot());
    }

    @Test
    void replayIsDrawnInShuffledPassesThatEveryImageJoinsOnceAndThatResumeMidPass() {
        ReplayBuffer buffer = new ReplayBuffer(1_000, 11);
        Random images = new Random(3);
        for (int i = 0; i < 200; i++) {
            buffer.offer(image(images, i), i);
        }
        List<Integer> firstPass = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            firstPass.add(buffer.sampleSlot());
        }
        assertThat(firstPass).as("a pass draws every slot once").doesNotHaveDuplicates().hasSize(200);
        assertThat(firstPass.subList(0, 20)).as("in a shuffled order").isNotEqualTo(IntStream.range(0, 20).boxed().toList());
        for (int i = 0; i < 70; i++) {
            buffer.sampleSlot(); // part of the second pass
        }
        buffer.offer(image(images, 200), 200); // joins the next pass, not this one

        ReplayBuffer restored = ReplayBuffer.restore(buffer.snapshot(), 1_000);
        assertThat(restored.snapshot()).isEqualTo(buffer.snapshot());
        Set<Integer> restOfSecondPass = new HashSet<>();
        for (int i = 0; i < 130; i++) {
            int slot = buffer.sampleSlot();
            assertThat(restored.sampleSlot()).as("draw %d after the restore", i).isEqualTo(slot);
            restOfSecondPass.add(slot);
        }
        assertThat(restOfSecondPass).hasSize(130).doesNotContain(200);
        Set<Integer> thirdPass = new HashSet<>();
        for (int i = 0; i < 201; i++) {
            thirdPass.add(restored.sampleSlot());
        }
        assertThat(thirdPass).as("the image offered mid-pass joins the next pass").hasSize(201).contains(200);
    }

    @Test
    void restoringIntoASmallerCapacityKeepsARandomSubsetAndALargerOneFillsUp() {
        ReplayBuffer original = new ReplayBuffer(100, 3);
        Random images = new Random(2);
        for (int i = 0; i < 100; i++) {
            original.offer(image(images, i), i);
        }
        ReplayBuffer.Snapshot snapshot = original.snapshot();

        ReplayBuffer smaller = ReplayBuffer.restore(snapshot, 30);
        assertThat(smaller.size()).isEqualTo(30);
        assertThat(smaller.offered()).isEqualTo(100);
        List<Integer> kept = new ArrayList<>();
        for (int slot = 0; slot < smaller.size(); slot++) {
            kept.add(smaller.label(slot));
            assertThat(smaller.image(slot)).isSameAs(snapshot.images().get(smaller.label(slot)));
        }
        assertThat(kept).doesNotHaveDuplicates().isSorted();
        assertThat(kept.getLast()).as("not just the first 30").isGreaterThan(29);

        ReplayBuffer larger = ReplayBuffer.restore(snapshot, 150);
        larger.offer(image(images, 100), 100);
        assertThat(larger.size()).isEqualTo(101);
        assertThat(larger.capacity()).isEqualTo(150);
    }

    @Test
    void aSnapshotSharesTheImagesAndLaterOffersDoNotChangeIt() {
        ReplayBuffer buffer = new ReplayBuffer(2, 5);
        byte[] first = image(new Random(3), 0);
        buffer.offer(first, 1);
        ReplayBuffer.Snapshot before = buffer.snapshot();
        for (int i = 1; i < 50; i++) {
            buffer.offer(image(new Random(i), i), 2);
        }
        assertThat(before.size()).isEqualTo(1);
        assertThat(before.images().getFirst()).isSameAs(first);
        assertThat(before.labels()).containsExactly(1);
        assertThat(before.offered()).isEqualTo(1);
        Set<Integer> labels = new HashSet<>();
        for (int slot = 0; slot < buffer.size(); slot++) {
            labels.add(buffer.label(slot));
        }
        assertThat(buffer.offered()).isEqualTo(50);
        assertThat(labels).isNotEmpty();
    }

    @Test
    void refusesImagesOfAnotherSize() {
        ReplayBuffer buffer = new ReplayBuffer(4, 1);
        buffer.offer(new byte[VALUES]);
        assertThatThrownBy(() -> buffer.offer(new byte[VALUES + 1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must have the same size");
    }

    /** A canonical image of 8-bit values, as the feed decodes them; the first value says which one it is. */
    static byte[] image(Random random, int index) {
        byte[] v = new byte[VALUES];
        random.nextBytes(v);
        v[0] = (byte) index;
        return v;
    }
}
