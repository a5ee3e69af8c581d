package dev.ganpipe.common;

/**
 * A running part of the pipeline (a service, the embedded broker) that the launcher starts and stops as a unit.
 * {@link #close()} must stop every thread the service started and must be safe to call twice.
 */
public interface Service extends AutoCloseable {

    /** A short name for logs, e.g. {@code ingest}. */
    String name();

    /** Stops the service and releases everything it holds; never throws a checked exception. */
    @Override
    void close();
}
