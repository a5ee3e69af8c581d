package dev.ganpipe.generator.http;

/**
 * Settings of the JDK's built-in HTTP server that the generator's latency depends on. They are JVM-wide system
 * properties that the JDK reads once, when the first HTTP server of the process is created, so
 * {@link #apply()} must run before that (the generator service and the benchmark call it first thing); the launcher
 * can also pass them as {@code -D} flags.
 */
public final class JdkHttpServerTuning {

    /** The JDK server's switch for {@code TCP_NODELAY} on accepted connections; off by default. */
    public static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

    private JdkHttpServerTuning() {
    }

    /**
     * Turns on {@code TCP_NODELAY} unless the operator set the property: the server writes a response's headers and
     * body separately, and with Nagle's algorithm on, the body then waits for the client's delayed ACK, which added
     * about 40 ms to every response on a kept-alive connection (measured with {@code gan bench generator}: a
     * count=64 request went from 0.65x to 0.96x the raw ONNX Runtime rate).
     *
     * @return whether the property is now true (false when the operator set it otherwise)
     */
    public static boolean apply() {
        if (System.getProperty(NODELAY_PROPERTY) == null) {
            System.setProperty(NODELAY_PROPERTY, "true");
        }
        return Boolean.parseBoolean(System.getProperty(NODELAY_PROPERTY));
    }
}
