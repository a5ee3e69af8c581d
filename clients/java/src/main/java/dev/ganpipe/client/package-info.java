/**
 * The client of the pipeline's synthetic images, for applications that consume them (data augmentation): the
 * {@code synthetic.images} record format ({@link dev.ganpipe.client.SyntheticImageDeserializer}), the
 * {@code synthetic.requests} producer ({@link dev.ganpipe.client.SyntheticRequestProducer}) and a typed client of the
 * generator service's HTTP API ({@link dev.ganpipe.client.GeneratorClient}). It needs kafka-clients and the JDK only.
 * The header and topic names in {@link dev.ganpipe.client.RecordNames} are the one definition the services use too.
 */
package dev.ganpipe.client;
