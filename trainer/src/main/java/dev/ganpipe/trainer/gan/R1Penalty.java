package dev.ganpipe.trainer.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.ganpipe.common.model.NoiseRandom;
import java.util.function.UnaryOperator;

/**
 * The R1 penalty (Mescheder, Geiger and Nowozin 2018) on the discriminator's gradient at real images,
 * {@code E ||grad_x D(x)||^2}, estimated by a central finite difference along one random direction per image: with
 * {@code d ~ N(0, I)}, {@code E[(grad_x D(x) . d)^2] = ||grad_x D(x)||^2}, and
 * {@code grad_x D(x) . d = (D(x + eps d) - D(x - eps d)) / (2 eps) + O(eps^2)}. The estimate is two more forward passes
 * of the discriminator, so its gradient with respect to the discriminator's weights is an ordinary first-order
 * backward.
 *
 * <p>Why not the exact gradient: DJL 0.36's PyTorch engine does take second-order gradients
 * ({@code SecondOrderGradientTest}), but only through a backward that builds a graph for every parameter's gradient
 * as well, and DJL can only zero a gradient in place, never reset it to undefined as PyTorch's {@code zero_grad}
 * does. Each exact penalty therefore chains one more backward graph to the discriminator's gradients, and memory grows
 * with every R1 step (PyTorch's own warning: "Using backward() with create_graph=True will create a reference cycle
 * between the parameter and its gradient"); {@code R1PenaltyTest} shows the estimate agrees with the exact norm.
 */
final class R1Penalty {

    /**
     * Step of the finite difference, per pixel value of images in [-1, 1]: small enough that the curvature term is
     * negligible, large enough that float32 differences of the discriminator's logits keep their digits.
     */
    static final float EPSILON = 1e-2f;

    private R1Penalty() {
    }

    /**
     * The per-batch estimate of {@code E ||grad_x D(x)||^2}: a scalar, differentiable with respect to the
     * discriminator's weights.
     *
     * @param discriminator the discriminator's logits, {@code (N)} or {@code (N, 1)}, of a batch (its labels bound in
     *     for a conditional one), run in training mode
     * @param real the real images the discriminator saw, {@code (N, C, H, W)}
     * @param random the draws of this step's directions
     */
    static NDArray squaredGradientNorm(UnaryOperator<NDArray> discriminator, NDArray real, NoiseRandom random, NDManager scope) {
        NDArray direction = scope.create(random.gaussians(Math.toIntExact(real.size())), real.getShape()).mul(EPSILON);
        NDArray above = discriminator.apply(real.add(direction)).reshape(-1);
        NDArray below = discriminator.apply(real.sub(direction)).reshape(-1);
        return above.sub(below).div(2 * EPSILON).square().mean();
    }

    /** The term added to the discriminator's loss on a step that applies R1: {@code gamma / 2 * interval * estimate}. */
    static NDArray lossTerm(Objective objective, NDArray squaredGradientNorm) {
        return squaredGradientNorm.mul((float) (objective.r1Gamma() / 2 * objective.r1Interval()));
    }
}
