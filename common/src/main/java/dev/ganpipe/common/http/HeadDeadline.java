package dev.ganpipe.common.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Server;

/**
 * Closes a connection that has not completed its first request head within {@link HttpLimits#requestTimeout()}: a
 * slow-loris client that sends one header byte at a time resets the idle timer with every byte, so the idle timeout
 * alone would let it hold the connection for ever. Later requests on a kept-alive connection are bounded by the idle
 * timeout and, for bodies, by {@link BodyPace}.
 */
final class HeadDeadline implements Connection.Listener {

    private final Server server;
    private final Duration deadline;

    HeadDeadline(Server server, Duration deadline) {
        this.server = server;
        this.deadline = deadline;
    }

    @Override
    public void onOpened(Connection connection) {
        server.getScheduler().schedule(() -> {
            if (connection.getMessagesIn() == 0 && connection.getEndPoint().isOpen()) {
                connection.getEndPoint().close();
            }
        }, deadline.toMillis(), TimeUnit.MILLISECONDS);
    }
}
