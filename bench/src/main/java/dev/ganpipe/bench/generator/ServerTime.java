package dev.ganpipe.bench.generator;

import dev.ganpipe.common.metrics.MetricNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The service's own timers, read before and after a measurement so that their difference says where a request's time
 * went: in the forward pass ({@code gan_generator_forward_seconds}), in the rest of the handler (noise, batching,
 * pixels, encoding: {@code gan_generator_request_seconds} less the forward pass), or outside it (HTTP and the client:
 * the client's latency less the handler's).
 *
 * @param requests requests the handler finished
 * @param requestSeconds their total time in the handler
 * @param passes forward passes run
 * @param forwardSeconds their total time
 */
record ServerTime(long requests, double requestSeconds, long passes, double forwardSeconds) {

    static final ServerTime ZERO = new ServerTime(0, 0, 0, 0);

    /** The timers' totals now. */
    static ServerTime read(MeterRegistry meters) {
        long requests = 0;
        double requestSeconds = 0;
        for (Timer t : meters.find(MetricNames.GENERATOR_REQUEST).timers()) {
            requests += t.count();
            requestSeconds += t.totalTime(TimeUnit.SECONDS);
        }
        Timer forward = meters.find(MetricNames.GENERATOR_FORWARD).timer();
        return forward == null ? new ServerTime(requests, requestSeconds, 0, 0)
                : new ServerTime(requests, requestSeconds, forward.count(), forward.totalTime(TimeUnit.SECONDS));
    }

    ServerTime minus(ServerTime earlier) {
        return new ServerTime(requests - earlier.requests, requestSeconds - earlier.requestSeconds, passes - earlier.passes,
                forwardSeconds - earlier.forwardSeconds);
    }

    ServerTime plus(ServerTime other) {
        return new ServerTime(requests + other.requests, requestSeconds + other.requestSeconds, passes + other.passes,
                forwardSeconds + other.forwardSeconds);
    }

    /**
     * One line: per request, the client's mean latency split into forward pass, the rest of the handler, and outside
     * the handler; {@code clientMillis} is the client's mean latency per request.
     */
    String line(String what, double clientMillis) {
        if (requests == 0) {
            return what + ": no requests reached the handler";
        }
        double handler = requestSeconds * 1000 / requests;
        // Concurrent requests share passes: each request's share of forward-pass time is the pass time it waited on.
        double forward = passes == 0 ? 0 : Math.min(handler, forwardSeconds * 1000 / passes);
        return String.format(Locale.ROOT, "%-44s %8.2f ms = forward pass %6.2f + rest of handler %6.2f + outside handler %6.2f",
                what, clientMillis, forward, handler - forward, Math.max(0, clientMillis - handler));
    }
}
