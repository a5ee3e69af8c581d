/**
 * A cluster of real KRaft brokers on localhost, each in a process of its own so that a test or a bench can kill one
 * with SIGKILL as a crash would: {@code ClusterNode} is the main class of one node, {@code BrokerProcess} starts, kills
 * and restarts it on the same data directory and ports, and {@code LocalCluster} starts three and answers which node
 * leads a partition and which is the active controller.
 */
package dev.ganpipe.broker.cluster;
