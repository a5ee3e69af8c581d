/**
 * {@code gan bench chaos}: the pipeline on a cluster of three broker processes while brokers are killed, one scenario
 * after the other, each counted by image id on {@code images.train} with a {@code read_committed} consumer and printed
 * as {@code chaos <scenario> lost <n> duplicated <n> failed_requests <n>}.
 */
package dev.ganpipe.bench.chaos;
