package dev.ganpipe.common.http;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one client may cost a service: body size and pace (enforced by {@link HttpService} on either server), and the
 * header count, header size and time limits that the HTTP server enforces itself.
 *
 * <p>On Jetty ({@link HttpServerKind#JETTY}, what services run on) the limits are per server: a head over
 * {@link #maxHeaderBytes} gets 431 (414 for the request line alone), more than {@link #maxHeaders} headers 431, a
 * connection that sends no complete first head within {@link #requestTimeout} or idles for {@link #idleTimeout} is
 * closed. {@link #responseTimeout} is the JDK server's only.
 *
 * <p>The JDK server ({@link HttpServerKind#JDK}, the bench's peer) reads its limits once per JVM, from the
 * {@code sun.net.httpserver.*} system properties, when the first server starts. {@link #applyToJdkServer()} therefore
 * sets each property only when nobody set it before (an operator's {@code -Dsun.net.httpserver.maxReqTime=...} wins),
 * and every JDK server in one JVM shares those values. It answers a violation by closing the connection without a
 * response.
 *
 * @param maxBodyBytes request bodies over this many bytes get 413 {@code too_large}, declared or streamed
 * @param maxHeaders request headers a request may have
 * @param maxHeaderBytes bytes the request line and headers may have together
 * @param requestTimeout how long a client may take to send the whole request, head and body (slow clients)
 * @param responseTimeout how long the handler and the client's reading of the response may take together
 * @param idleTimeout how long a kept-alive connection may sit idle before it is closed
 * @param bodyPace how fast a request body must arrive once a handler reads it; slower bodies are cut with 408
 */
public record HttpLimits(long maxBodyBytes, int maxHeaders, int maxHeaderBytes, Duration requestTimeout, Duration responseTimeout,
        Duration idleTimeout, BodyPace bodyPace) {

    /** The system properties of the JDK's server (jdk.httpserver, {@code sun.net.httpserver.ServerConfig}). */
    static final String MAX_REQ_HEADERS = "sun.net.httpserver.maxReqHeaders";
    static final String MAX_REQ_HEADER_SIZE = "sun.net.httpserver.maxReqHeaderSize";
    static final String MAX_REQ_TIME = "sun.net.httpserver.maxReqTime";
    static final String MAX_RSP_TIME = "sun.net.httpserver.maxRspTime";
    static final String IDLE_INTERVAL = "sun.net.httpserver.idleInterval";

    public HttpLimits {
        java.util.Objects.requireNonNull(bodyPace, "bodyPace");
        if (maxBodyBytes < 0 || maxHeaders < 1 || maxHeaderBytes < 1) {
            throw new IllegalArgumentException("HTTP limits must be positive, but got max body bytes " + maxBodyBytes + ", max headers "
                    + maxHeaders + " and max header bytes " + maxHeaderBytes + ".");
        }
        for (Duration d : new Duration[] {requestTimeout, responseTimeout, idleTimeout}) {
            if (d.toSeconds() < 1) {
                throw new IllegalArgumentException("HTTP timeouts are whole seconds of at least 1 (the JDK server counts in seconds), but got "
                        + d + ".");
            }
        }
    }

    /** Limits with the default body pace ({@link BodyPace#defaults()}). */
    public HttpLimits(long maxBodyBytes, int maxHeaders, int maxHeaderBytes, Duration requestTimeout, Duration responseTimeout,
            Duration idleTimeout) {
        this(maxBodyBytes, maxHeaders, maxHeaderBytes, requestTimeout, responseTimeout, idleTimeout, BodyPace.defaults());
    }

    /**
     * The limits every service uses unless it says otherwise: 64 MiB bodies (above any upload limit a service
     * configures, which its handlers enforce more tightly), 64 headers, 16 KiB of head (a browser sends about 1 KiB),
     * 60 s to send a request, 120 s to answer (a large CPU generation included), 30 s idle keep-alive, and bodies at
     * the pace of {@link BodyPace#defaults()}.
     */
    public static HttpLimits defaults() {
        return new HttpLimits(64L * 1024 * 1024, 64, 16 * 1024, Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(30));
    }

    /** A copy with another body limit. */
    public HttpLimits withMaxBodyBytes(long bytes) {
        return new HttpLimits(bytes, maxHeaders, maxHeaderBytes, requestTimeout, responseTimeout, idleTimeout, bodyPace);
    }

    /** A copy with another body pace. */
    public HttpLimits withBodyPace(BodyPace pace) {
        return new HttpLimits(maxBodyBytes, maxHeaders, maxHeaderBytes, requestTimeout, responseTimeout, idleTimeout, pace);
    }

    /** The JDK server properties these limits stand for. */
    Map<String, String> jdkServerProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(MAX_REQ_HEADERS, Integer.toString(maxHeaders));
        p.put(MAX_REQ_HEADER_SIZE, Integer.toString(maxHeaderBytes));
        p.put(MAX_REQ_TIME, Long.toString(requestTimeout.toSeconds()));
        p.put(MAX_RSP_TIME, Long.toString(responseTimeout.toSeconds()));
        p.put(IDLE_INTERVAL, Long.toString(idleTimeout.toSeconds()));
        return p;
    }

    /**
     * Sets the JDK server's properties that are not set yet, and returns the values in force afterwards (which are
     * the operator's where the operator set them). Takes effect only before the JVM's first JDK HTTP server starts.
     */
    Map<String, String> applyToJdkServer() {
        Map<String, String> inForce = new LinkedHashMap<>();
        synchronized (System.getProperties()) {
            for (Map.Entry<String, String> e : jdkServerProperties().entrySet()) {
                if (System.getProperty(e.getKey()) == null) {
                    System.setProperty(e.getKey(), e.getValue());
                }
                inForce.put(e.getKey(), System.getProperty(e.getKey()));
            }
        }
        return inForce;
    }
}
