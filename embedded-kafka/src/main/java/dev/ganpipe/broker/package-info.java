/**
 * A real single-node Kafka broker (KRaft, combined broker+controller) started in-process from the Kafka jars, so
 * the demo and the tests run against real Kafka with nothing installed.
 */
package dev.ganpipe.broker;
