/**
 * The Kafka request stream: each {@code synthetic.requests} record ({@code {"count","seed","label"}}, keyed by request
 * id) becomes {@code count} PNG records on {@code synthetic.images}, or a dead letter on {@code images.dlq} with a
 * reason. {@link dev.ganpipe.generator.stream.RequestTopology} builds the topology and its Streams config in static
 * methods, so tests drive exactly the production topology with a {@code TopologyTestDriver};
 * {@link dev.ganpipe.generator.stream.RequestStream} runs it.
 */
package dev.ganpipe.generator.stream;
