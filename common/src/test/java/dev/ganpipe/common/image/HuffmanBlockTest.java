package dev.ganpipe.common.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/** The Huffman-only deflate blocks decode with zlib's own inflater, and pack as tightly as zlib's Huffman-only mode. */
class HuffmanBlockTest {

    @Test
    void everyKindOfInputInflatesBackToItselfAsOneBlockOrTwo() throws Exception {
        for (Map.Entry<String, byte[]> input : inputs().entrySet()) {
            byte[] data = input.getValue();
            assertThat(inflate(HuffmanBlock.deflate(data, 0, data.length, true))).as(input.getKey()).containsExactly(data);
            // Two halves, the first ended by a sync flush, read as one stream; from an offset into a larger array too.
            int half = data.length / 2;
            byte[] padded = new byte[data.length + 7];
            System.arraycopy(data, 0, padded, 3, data.length);
            byte[] first = HuffmanBlock.deflate(padded, 3, half, false);
            byte[] second = HuffmanBlock.deflate(padded, 3 + half, data.length - half, true);
            byte[] joined = Arrays.copyOf(first, first.length + second.length);
            System.arraycopy(second, 0, joined, first.length, second.length);
            assertThat(inflate(joined)).as(input.getKey() + " in two halves").containsExactly(data);
            assertThat(HuffmanBlock.deflate(data, 0, data.length, true)).as("deterministic")
                    .containsExactly(HuffmanBlock.deflate(data, 0, data.length, true));
        }
    }

    @Test
    void packsWithinAPercentOfZlibsHuffmanOnlyMode() {
        Random random = new Random(5);
        byte[] data = new byte[60_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) Math.round(random.nextGaussian() * 12); // small differences, as rows filtered Up give
        }
        Deflater zlib = new Deflater(Deflater.BEST_SPEED, true);
        zlib.setStrategy(Deflater.HUFFMAN_ONLY);
        zlib.setInput(data);
        zlib.finish();
        byte[] buffer = new byte[data.length * 2];
        int zlibBytes = 0;
        while (!zlib.finished()) {
            zlibBytes += zlib.deflate(buffer, zlibBytes, buffer.length - zlibBytes);
        }
        zlib.end();
        int ours = HuffmanBlock.deflate(data, 0, data.length, true).length;
        assertThat(ours).isLessThan(zlibBytes * 101 / 100).isLessThan(data.length * 3 / 4);
    }

    @Test
    void codesLongerThanDeflateAllowsAreShortenedAndTheCodeStaysComplete() {
        // Fibonacci frequencies give the deepest Huffman tree there is: 29 levels for 30 symbols, unlimited.
        int[] frequencies = new int[257];
        int a = 1;
        int b = 1;
        for (int s = 0; s < 30; s++) {
            frequencies[s] = a;
            int next = a + b;
            a = b;
            b = next;
        }
        int[] lengths = HuffmanBlock.codeLengths(frequencies, 15);
        assertThat(Arrays.stream(lengths).max().orElseThrow()).isLessThanOrEqualTo(15);
        double kraft = 0;
        for (int s = 0; s < lengths.length; s++) {
            assertThat(lengths[s] > 0).as("symbol %d has a code exactly when it is used", s).isEqualTo(frequencies[s] > 0);
            kraft += lengths[s] > 0 ? Math.pow(2, -lengths[s]) : 0;
        }
        assertThat(kraft).as("a complete code, as zlib's inflater requires").isEqualTo(1.0);
        byte[] data = new byte[0];
        for (int s = 0; s < 30; s++) {
            byte[] more = new byte[Math.min(frequencies[s], 50_000)];
            Arrays.fill(more, (byte) s);
            data = concat(data, more);
        }
        assertThat(inflateQuietly(HuffmanBlock.deflate(data, 0, data.length, true))).containsExactly(data);
    }

    private static Map<String, byte[]> inputs() {
        Random random = new Random(11);
        Map<String, byte[]> inputs = new LinkedHashMap<>();
        inputs.put("empty", new byte[0]);
        inputs.put("one byte", new byte[] {42});
        byte[] same = new byte[1000];
        Arrays.fill(same, (byte) 7);
        inputs.put("one value", same);
        byte[] two = new byte[999];
        for (int i = 0; i < two.length; i++) {
            two[i] = (byte) (i % 3 == 0 ? 255 : 0);
        }
        inputs.put("two values", two);
        byte[] uniform = new byte[100_003];
        random.nextBytes(uniform);
        inputs.put("uniform random", uniform);
        byte[] skewed = new byte[70_001];
        for (int i = 0; i < skewed.length; i++) {
            skewed[i] = (byte) (random.nextDouble() < 0.7 ? 0 : random.nextInt(1 + random.nextInt(256)));
        }
        inputs.put("mostly zero", skewed);
        for (int length : new int[] {2, 3, 4, 5, 7, 8, 9, 31, 32, 33, 255, 256, 257}) {
            byte[] small = new byte[length];
            random.nextBytes(small);
            inputs.put(length + " random bytes", small);
        }
        return inputs;
    }

    private static byte[] inflateQuietly(byte[] raw) {
        try {
            return inflate(raw);
        } catch (DataFormatException e) {
            throw new AssertionError("zlib refused the block: " + e.getMessage(), e);
        }
    }

    private static byte[] inflate(byte[] raw) throws DataFormatException {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(raw);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && !inflater.finished() && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new DataFormatException("the stream ended before its final block");
                }
                out.write(buffer, 0, n);
            }
            assertThat(inflater.getRemaining()).as("bytes after the final block").isZero();
            return out.toByteArray();
        } finally {
            inflater.end();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
