package dev.ganpipe.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * A local port that was free a moment ago: for the broker's own listeners, and for a test that must start a broker or
 * a service later on a port it has to know now (nothing holds the port in between, so use it soon).
 */
public final class LocalPorts {

    private LocalPorts() {
    }

    /**
     * A port no socket on this machine was bound to a moment ago.
     *
     * @throws UncheckedIOException when the system has none to give
     */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free local port on this machine; free some ports and run again.", e);
        }
    }
}
