package dev.ganpipe.common.image;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Raw deflate (RFC 1951) of a byte range as one block of literals under Huffman codes built for that range: what
 * zlib's {@code Z_HUFFMAN_ONLY} strategy writes, at several times its speed. zlib's Huffman-only pass handles some
 * 140 MB/s here (0.42 ms for a 64-image 28x28 grid); this counts the bytes, builds the codes and packs each byte's code
 * into a 64-bit buffer, about 0.1 ms for the same grid. For {@link PngEncoder#fast()}, whose rows are filtered Up, so
 * that the bytes are mostly small differences a Huffman code packs well.
 *
 * <p>A range that is not the last ends with an empty stored block (a sync flush): the block boundary falls on a byte
 * and the next range's deflate data can simply follow, which is how a large image's halves are deflated on two
 * threads. Deterministic: the same bytes always give the same output.
 */
final class HuffmanBlock {

    /** Literals 0..255 and end-of-block 256; no lengths, since the block holds no matches. */
    private static final int LITERALS = 257;
    private static final int END_OF_BLOCK = 256;
    /** The longest code deflate allows for literals, and for the code-length alphabet. */
    private static final int MAX_BITS = 15;
    private static final int MAX_CODE_LENGTH_BITS = 7;
    /** The order in which the code-length alphabet's lengths are sent (RFC 1951, 3.2.7). */
    private static final int[] CODE_LENGTH_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

    private HuffmanBlock() {
    }

    /**
     * Deflates {@code data[from, from + length)}.
     *
     * @param last whether this is the stream's final block; otherwise it ends with a sync flush, byte-aligned
     * @return the raw deflate bytes (no zlib header or checksum)
     */
    static byte[] deflate(byte[] data, int from, int length, boolean last) {
        int[] frequencies = new int[LITERALS];
        for (int i = from, end = from + length; i < end; i++) {
            frequencies[data[i] & 0xff]++;
        }
        frequencies[END_OF_BLOCK] = 1;
        int[] lengths = codeLengths(frequencies, MAX_BITS);
        int[] codes = canonicalCodes(lengths);

        // The lengths sent: every literal/length code (257 at least) and two distance codes of one bit each. The block
        // uses no distance, but zlib's decoder, like pkzip's, expects at least one, so zlib's encoder sends two too.
        int[] sent = new int[LITERALS + 2];
        System.arraycopy(lengths, 0, sent, 0, LITERALS);
        sent[LITERALS] = 1;
        sent[LITERALS + 1] = 1;
        int[] codeLengthFrequencies = new int[19];
        for (int l : sent) {
            codeLengthFrequencies[l]++;
        }
        int[] codeLengthLengths = codeLengths(codeLengthFrequencies, MAX_CODE_LENGTH_BITS);
        int[] codeLengthCodes = canonicalCodes(codeLengthLengths);
        int codeLengthCount = 19;
        while (codeLengthCount > 4 && codeLengthLengths[CODE_LENGTH_ORDER[codeLengthCount - 1]] == 0) {
            codeLengthCount--;
        }

        // Worst case: 15 bits a byte, plus the header's few hundred bits and the flush.
        BitWriter out = new BitWriter(length * 2 + 128);
        out.write(last ? 1 : 0, 1);
        out.write(2, 2); // dynamic Huffman codes
        out.write(LITERALS - 257, 5);
        out.write(2 - 1, 5);
        out.write(codeLengthCount - 4, 4);
        for (int i = 0; i < codeLengthCount; i++) {
            out.write(codeLengthLengths[CODE_LENGTH_ORDER[i]], 3);
        }
        for (int l : sent) {
            out.write(codeLengthCodes[l], codeLengthLengths[l]);
        }
        out.writeLiterals(data, from, length, codes, lengths);
        out.write(codes[END_OF_BLOCK], lengths[END_OF_BLOCK]);
        if (!last) {
            out.write(0, 3); // an empty stored block, not final: aligned to a byte, then LEN 0 and NLEN 0xffff
            out.alignToByte();
            out.write(0xffff_0000, 32);
        }
        return out.finish();
    }

    /**
     * Code lengths of at most {@code maxBits} for symbols of the given frequencies (0 for an unused symbol), by
     * Huffman's algorithm; when a code comes out too long, the frequencies are halved (never below 1) and the codes
     * built again, as many encoders do. At least two symbols get a code, so that every used symbol has at least one
     * bit.
     */
    static int[] codeLengths(int[] frequencies, int maxBits) {
        int[] counts = frequencies.clone();
        int used = 0;
        for (int f : counts) {
            used += f > 0 ? 1 : 0;
        }
        for (int s = 0; used < 2 && s < counts.length; s++) {
            if (counts[s] == 0) {
                counts[s] = 1;
                used++;
            }
        }
        while (true) {
            int[] lengths = huffmanLengths(counts);
            if (Arrays.stream(lengths).max().orElse(0) <= maxBits) {
                return lengths;
            }
            for (int s = 0; s < counts.length; s++) {
                if (counts[s] > 0) {
                    counts[s] = Math.max(1, counts[s] >>> 1);
                }
            }
        }
    }

    /** Optimal (unlimited) Huffman code lengths; ties broken by symbol, so the result is deterministic. */
    private static int[] huffmanLengths(int[] counts) {
        int n = counts.length;
        // Nodes 0..n-1 are the symbols, n.. the merged ones; a leaf's depth is its code length.
        long[] weight = new long[2 * n];
        int[] parent = new int[2 * n];
        int[] symbols = new int[n];
        int leaves = 0;
        for (int s = 0; s < n; s++) {
            if (counts[s] > 0) {
                weight[s] = counts[s];
                symbols[leaves++] = s;
            }
        }
        // Sorted leaves and a queue of merged nodes (whose weights come out in order): the two-queue method.
        Integer[] order = new Integer[leaves];
        for (int i = 0; i < leaves; i++) {
            order[i] = symbols[i];
        }
        Arrays.sort(order, (a, b) -> weight[a] != weight[b] ? Long.compare(weight[a], weight[b]) : Integer.compare(a, b));
        int[] merged = new int[leaves];
        int leafAt = 0;
        int mergedHead = 0;
        int mergedTail = 0;
        int next = n;
        for (int k = 0; k < leaves - 1; k++) {
            int[] two = new int[2];
            for (int j = 0; j < 2; j++) {
                boolean takeLeaf = leafAt < leaves
                        && (mergedHead == mergedTail || weight[order[leafAt]] <= weight[merged[mergedHead]]);
                two[j] = takeLeaf ? order[leafAt++] : merged[mergedHead++];
            }
            weight[next] = weight[two[0]] + weight[two[1]];
            parent[two[0]] = next;
            parent[two[1]] = next;
            merged[mergedTail++] = next;
            next++;
        }
        int root = next - 1;
        int[] depth = new int[2 * n];
        for (int node = root - 1; node >= n; node--) {
            depth[node] = depth[parent[node]] + 1; // parents are made after their children, so are done first
        }
        int[] lengths = new int[n];
        for (int i = 0; i < leaves; i++) {
            int s = symbols[i];
            lengths[s] = leaves == 1 ? 1 : depth[parent[s]] + 1;
        }
        return lengths;
    }

    /** Canonical codes for the lengths (RFC 1951, 3.2.2), bit-reversed, since deflate sends a code's top bit first. */
    static int[] canonicalCodes(int[] lengths) {
        int[] perLength = new int[MAX_BITS + 1];
        for (int l : lengths) {
            perLength[l]++;
        }
        perLength[0] = 0;
        int[] nextCode = new int[MAX_BITS + 2];
        int code = 0;
        for (int bits = 1; bits <= MAX_BITS; bits++) {
            code = (code + perLength[bits - 1]) << 1;
            nextCode[bits] = code;
        }
        int[] codes = new int[lengths.length];
        for (int s = 0; s < lengths.length; s++) {
            int l = lengths[s];
            if (l > 0) {
                codes[s] = Integer.reverse(nextCode[l]++) >>> (32 - l);
            }
        }
        return codes;
    }

    /** Bits packed least significant first into bytes, as deflate packs them. */
    private static final class BitWriter {
        private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

        private byte[] bytes;
        private int size;
        private long buffer;
        private int bits;

        BitWriter(int capacity) {
            bytes = new byte[capacity];
        }

        void write(int value, int count) {
            buffer |= (value & 0xffff_ffffL) << bits;
            bits += count;
            if (bits >= 32) {
                if (size + 4 > bytes.length) {
                    bytes = Arrays.copyOf(bytes, bytes.length * 2);
                }
                bytes[size] = (byte) buffer;
                bytes[size + 1] = (byte) (buffer >>> 8);
                bytes[size + 2] = (byte) (buffer >>> 16);
                bytes[size + 3] = (byte) (buffer >>> 24);
                size += 4;
                buffer >>>= 32;
                bits -= 32;
            }
        }

        /**
         * Each byte's code: the loop the whole block's time goes to, so each code and its length share one int and
         * four bytes go out at a time, with room for the worst case made once beforehand.
         */
        void writeLiterals(byte[] data, int from, int length, int[] codes, int[] lengths) {
            int[] table = new int[256];
            for (int b = 0; b < 256; b++) {
                table[b] = codes[b] | lengths[b] << 24;
            }
            int room = size + length * MAX_BITS / 8 + 8;
            if (room > bytes.length) {
                bytes = Arrays.copyOf(bytes, room);
            }
            byte[] target = bytes;
            int at = size;
            long pending = buffer;
            int count = bits;
            for (int i = from, end = from + length; i < end; i++) {
                int entry = table[data[i] & 0xff];
                pending |= (long) (entry & 0xff_ffff) << count;
                count += entry >>> 24;
                if (count >= 32) {
                    INT_LE.set(target, at, (int) pending);
                    at += 4;
                    pending >>>= 32;
                    count -= 32;
                }
            }
            size = at;
            buffer = pending;
            bits = count;
        }

        void alignToByte() {
            bits = (bits + 7) & ~7;
            if (bits >= 32) {
                write(0, 0);
            }
        }

        byte[] finish() {
            alignToByte();
            byte[] out = Arrays.copyOf(bytes, size + bits / 8);
            for (int i = 0; i < bits / 8; i++) {
                out[size + i] = (byte) (buffer >>> (8 * i));
            }
            return out;
        }
    }
}
