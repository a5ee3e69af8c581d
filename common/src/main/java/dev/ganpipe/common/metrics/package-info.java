/**
 * Metrics plumbing: one Prometheus registry per service with the JVM and process binders, and every
 * {@code gan_*} metric name of DESIGN.md as a constant that services, dashboards' tests and alert tests reuse, with the tag keys
 * and values ({@code outcome}, {@code reason}) that several services' metrics share.
 */
package dev.ganpipe.common.metrics;
