/**
 * Kafka contracts: typed {@link dev.ganpipe.common.kafka.Topic}s with their serdes, the record header names of
 * DESIGN.md, CloudEvents stamping, client settings (security included) and explicit topic creation.
 */
package dev.ganpipe.common.kafka;
