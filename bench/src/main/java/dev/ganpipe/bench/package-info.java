/**
 * The benches' entry: {@link dev.ganpipe.bench.Benches} names every bench {@code ./gan bench} runs, each a
 * {@link dev.ganpipe.bench.Bench} that takes its options, environment and streams, so its test runs it as the
 * launcher does. The benches themselves live in the sub-packages, one per part they measure.
 */
package dev.ganpipe.bench;
