package dev.ganpipe.common.http;

/** One HTTP server carrying a {@link Dispatcher}: the part of {@link HttpService} that differs by {@link HttpServerKind}. */
interface ServerEngine extends AutoCloseable {

    int port();

    /** Whether the port speaks HTTPS. */
    boolean tls();

    /** Limits as this server enforces them, for the start-up log line. */
    String describeLimits();

    @Override
    void close();
}
