package dev.ganpipe.trainer.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * Nearest-neighbour x2 upsampling followed by a 3x3 convolution (stride 1, padding 1), computed without the
 * upsampled map: as four 2x2 convolutions on the small map, one per output phase, interleaved afterwards. The
 * generator's "resize-convolution" stages are exactly this pair.
 *
 * <p>Why it is the same function: output pixel {@code (2i + a, 2j + b)} reads upsampled rows {@code 2i + a - 1 ..
 * 2i + a + 1}, which are small-map rows {@code i - 1, i, i} for {@code a = 0} and {@code i, i, i + 1} for {@code a =
 * 1} (columns likewise). So each phase is a 2x2 convolution of the small map whose taps are sums of the 3x3 taps
 * ({@code [w0, w1 + w2]} or {@code [w0 + w1, w2]} per axis), and the zero padding of the upsampled map is the zero
 * padding of the small map. Per output pixel that is 4 multiply-adds per input channel instead of 9, and the 4x
 * larger upsampled input is never written, read, or back-propagated through. The 3x3 weights stay the parameters
 * (the phase taps are computed from them on every forward, so gradients reach them through the sums), which keeps
 * checkpoints and the ONNX export, a {@code Resize} and a {@code Conv}, unchanged. Values agree with the unfused
 * pair to float rounding ({@code ResizeConvolutionTest}).
 */
final class ResizeConvolution {

    /** Upsampling factor this decomposition is for. */
    static final int FACTOR = 2;

    /**
     * {@code PHASE_TAPS[a][k]}: which of the 3x3 kernel's rows (or columns) add up to tap {@code k} of the 2x2
     * kernel of output phase {@code a}, as a bit set ({@code 0b001} is row 0).
     */
    private static final int[][] PHASE_TAPS = {{0b001, 0b110}, {0b011, 0b100}};
    private static final float[] TAP_SUMS = tapSums();

    private ResizeConvolution() {}

    /** Whether {@code upsample} followed by {@code conv} is the pair this class computes. */
    static boolean fits(DcganOp upsample, Conv2d conv) {
        return upsample.kind() == DcganOp.Kind.UPSAMPLE_NEAREST
                && upsample.factor() == FACTOR
                && conv.getKernelShape().equals(new Shape(3, 3))
                && conv.getStride().equals(new Shape(1, 1))
                && conv.getPadding().equals(new Shape(1, 1))
                && conv.getDilation().equals(new Shape(1, 1))
                && conv.getGroups() == 1;
    }

    /**
     * {@code conv3x3(upsampleNearest(x, 2), weight, bias)} for an NCHW {@code x}.
     *
     * @param weight the 3x3 convolution's weight, {@code [out, in, 3, 3]}
     * @param bias its bias {@code [out]}, or null when it has none
     * @return {@code [N, out, 2H, 2W]}
     */
    static NDArray forward(NDArray x, NDArray weight, NDArray bias) {
        long n = x.getShape().get(0);
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        long out = weight.getShape().get(0);
        long in = weight.getShape().get(1);
        // Arrays derived from the parameters would land in the parameters' long-lived manager: keep them in x's.
        NDManager scope = x.getManager();
        NDArray phaseWeight = phaseWeights(weight, out, in, scope);
        NDArray phaseBias = bias == null ? null : inScope(bias.tile(4), scope);
        // Padding 1 on every side gives (H + 1) x (W + 1) windows; phase (a, b) uses those starting at (a, b).
        NDArray phases = Conv2d.conv2d(x, phaseWeight, phaseBias, new Shape(1, 1), new Shape(1, 1)).singletonOrThrow();
        // Interleaving the (H + 1) x (W + 1) windows of all four phases (a pixel shuffle: one copy) and dropping the
        // first and last row and column puts every phase where it belongs: output row 2i + a is interleaved row
        // 2i + a + 1 = 2(i + a) + (1 - a), i.e. window i + a of phase a at sub-row 1 - a; columns likewise. That is
        // why the blocks are ordered by (1 - a, 1 - b). One crop instead of four per-phase slices also keeps the
        // backward to one zero-filled gradient instead of four.
        NDArray shuffled = phases.reshape(n, 2, 2, out, h + 1, w + 1).transpose(0, 3, 4, 1, 5, 2)
                .reshape(n, out, FACTOR * (h + 1), FACTOR * (w + 1));
        return shuffled.get(new NDIndex(":, :, 1:{}, 1:{}", FACTOR * h + 1, FACTOR * w + 1));
    }

    /**
     * The four phases' 2x2 kernels as one {@code [4 * out, in, 2, 2]} weight, phase {@code (a, b)} at rows {@code
     * (2(1 - a) + (1 - b)) * out}: one matrix product of the 3x3 taps with a fixed 0/1 matrix, so gradients flow back
     * to them.
     */
    private static NDArray phaseWeights(NDArray weight, long out, long in, NDManager scope) {
        NDArray taps = inScope(weight.reshape(out * in, 9), scope).matMul(scope.create(TAP_SUMS, new Shape(9, 16)));
        // [out, in, 1 - a, 1 - b, ky, kx] -> [1 - a, 1 - b, out, in, ky, kx]
        return taps.reshape(out, in, 2, 2, 2, 2).transpose(2, 3, 0, 1, 4, 5).reshape(4 * out, in, 2, 2);
    }

    private static NDArray inScope(NDArray array, NDManager scope) {
        array.attach(scope);
        return array;
    }

    /**
     * The fixed {@code [9, 16]} matrix: entry {@code (3r + c, 8(1 - a) + 4(1 - b) + 2ky + kx)} is 1 when 3x3 tap
     * {@code (r, c)} adds to tap {@code (ky, kx)} of phase {@code (a, b)}.
     */
    private static float[] tapSums() {
        float[] m = new float[9 * 16];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                for (int a = 0; a < 2; a++) {
                    for (int b = 0; b < 2; b++) {
                        for (int ky = 0; ky < 2; ky++) {
                            for (int kx = 0; kx < 2; kx++) {
                                boolean adds = (PHASE_TAPS[a][ky] & (1 << r)) != 0 && (PHASE_TAPS[b][kx] & (1 << c)) != 0;
                                m[(3 * r + c) * 16 + 8 * (1 - a) + 4 * (1 - b) + 2 * ky + kx] = adds ? 1f : 0f;
                            }
                        }
                    }
                }
            }
        }
        return m;
    }
}
