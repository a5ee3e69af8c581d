/**
 * A real single-node Kafka broker (KRaft, combined broker+controller) started in-process from the Kafka jars, so
 * the demo and the tests run against real Kafka with nothing installed. {@code DataDirLock} keeps a second broker off
 * a data directory in use; {@code Certificates} makes a throwaway CA and certificates with the JDK's keytool for TLS
 * listeners; {@code LocalPorts} finds the free ports its listeners, and tests that start parts later, bind to.
 * {@code KraftQuorum} is what the members of a cluster share (cluster id, node ids and ports), for the nodes of
 * {@code dev.ganpipe.broker.cluster}.
 */
package dev.ganpipe.broker;
