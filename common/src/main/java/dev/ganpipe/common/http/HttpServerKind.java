package dev.ganpipe.common.http;

/**
 * Which HTTP server carries a {@link HttpService}. Both serve the same {@link Routes} through the same dispatch
 * (routing, JSON errors, metrics, limits); the bench measures them side by side ({@code ./gan bench generator}).
 */
public enum HttpServerKind {
    /** Jetty 12 (core API, no servlets) on virtual threads: the server every service uses. */
    JETTY,
    /**
     * The JDK's built-in {@code com.sun.net.httpserver}: kept as the bench's peer. Its header and time limits are
     * JVM-wide system properties and it answers their breach by closing the connection (see {@link HttpLimits}).
     */
    JDK;

    /** The server services use unless told otherwise. */
    public static HttpServerKind standard() {
        return JETTY;
    }
}
