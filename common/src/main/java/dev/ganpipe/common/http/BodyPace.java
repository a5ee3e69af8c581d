package dev.ganpipe.common.http;

import java.time.Duration;

/**
 * How fast a request body must arrive: after a grace period, at least {@code minBytesPerSecond} on average since the
 * body began. So a body that has sent {@code n} bytes is late once {@code grace + n / minBytesPerSecond} has passed: the
 * time a client may take grows with what it actually sent, and a client that sends 16 bytes and then nothing is cut
 * after about the grace period instead of holding its connection, its thread and its share of memory until the JDK
 * server's whole-request limit.
 *
 * @param grace how long a body may take before its rate counts (connection set-up, a slow start)
 * @param minBytesPerSecond the average rate a body must keep up after the grace period
 */
public record BodyPace(Duration grace, long minBytesPerSecond) {

    public BodyPace {
        if (grace == null || grace.isNegative() || grace.isZero() || minBytesPerSecond < 1) {
            throw new IllegalArgumentException("A body pace needs a positive grace period and a minimum rate of at least 1 byte per second, "
                    + "but got " + grace + " and " + minBytesPerSecond + ".");
        }
    }

    /**
     * 10 s of grace, then 16 KiB/s on average: a phone on a poor uplink sends far faster, while a client that dribbles
     * is cut long before the JDK server's own 60 s request limit would close its connection.
     */
    public static BodyPace defaults() {
        return new BodyPace(Duration.ofSeconds(10), 16 * 1024);
    }

    /**
     * Nanoseconds left before a body that has sent {@code received} bytes in {@code elapsedNanos} is late; zero or less
     * means it is late now.
     */
    long nanosLeft(long received, long elapsedNanos) {
        // In double: received * 1e9 would overflow a long past 9 GB, and a nanosecond more or less does not matter here.
        double allowed = grace.toNanos() + received * 1e9 / minBytesPerSecond;
        return allowed >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) allowed - elapsedNanos;
    }

    /** The sentence a client that was too slow gets with its 408. */
    String tooSlow(long received, long elapsedNanos) {
        return "The request body arrived too slowly: " + received + " bytes in " + Duration.ofNanos(elapsedNanos).toMillis() / 1000.0
                + " s, below the " + minBytesPerSecond + " bytes per second this service requires after the first " + grace.toSeconds()
                + " s; send the body at once, as fast as the network allows.";
    }
}
