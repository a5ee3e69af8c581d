/**
 * Quality inside the trainer: the generator is scored between training steps by the {@code quality} module's
 * evaluator (classifier FID, KID, precision, recall, class coverage), the scores become gauges and a history
 * (CSV, JSON and a PNG chart), and the {@link dev.ganpipe.trainer.quality.QualityGate} keeps an export from being
 * published when it is clearly worse than the live model.
 */
package dev.ganpipe.trainer.quality;
