/**
 * Continuous mode: {@link dev.ganpipe.generator.continuous.ContinuousPublisher} publishes synthetic images to
 * {@code synthetic.images} at a set rate (keys {@code stream-<n>}, seeds from a start seed), through an
 * {@link dev.ganpipe.generator.continuous.ImageSink} backed by an idempotent producer, paced by an injected clock
 * and {@link dev.ganpipe.common.time.Sleeper}.
 */
package dev.ganpipe.generator.continuous;
