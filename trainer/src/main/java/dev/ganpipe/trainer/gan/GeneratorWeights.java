package dev.ganpipe.trainer.gan;

/**
 * Which of the trainer's two generators samples, measurements and exports use: the moving average of the weights, or
 * the live weights the optimiser updates. Neither is better at every step: the average smooths the optimiser's noise
 * but lags the live weights by its window, which costs while the generator still improves quickly (docs/quality.md,
 * "Learning per step").
 */
public enum GeneratorWeights {
    /** The moving average of the generator's weights, its BatchNorm statistics recomputed under it. */
    AVERAGE,
    /** The weights the optimiser trains. */
    LIVE
}
