package dev.ganpipe.common.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 spoken over a plain socket, for tests that must send what a well-behaved client never would (stalled bodies,
 * oversized heads, pipelined requests) and read exactly what the server answers. Shared with the services' tests
 * through common's test-jar.
 */
public final class RawHttp {

    /** How long a read waits before the test fails rather than hangs. */
    private static final int READ_TIMEOUT_MS = 30_000;

    private RawHttp() {
    }

    /** A socket connected to {@code port} on the loopback address. */
    public static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return socket;
    }

    /** Writes {@code text} as ISO-8859-1, HTTP's own encoding for its head, and flushes. */
    public static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Everything the server sends until it closes the connection; a timeout here means it never did. */
    public static String readUntilClosed(Socket socket) throws IOException {
        return read(socket, false);
    }

    /**
     * Everything the server sends until it closes the connection or one response with all the body its
     * {@code Content-Length} declares has arrived, as text.
     */
    public static String readAnswer(Socket socket) throws IOException {
        return read(socket, true);
    }

    /** The next byte, or -1 when the server closed or reset the connection. */
    public static int readOrEnd(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (SocketException e) {
            return -1;
        }
    }

    private static String read(Socket socket, boolean stopAtCompleteAnswer) throws IOException {
        socket.setSoTimeout(READ_TIMEOUT_MS);
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                answer.write(buffer, 0, n);
                if (stopAtCompleteAnswer && complete(answer.toString(StandardCharsets.ISO_8859_1))) {
                    break;
                }
            }
        } catch (SocketException e) {
            // A reset is how a server closes on a client that still has bytes in flight; the answer so far stands.
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
        return answer.toString(StandardCharsets.ISO_8859_1);
    }

    /** Whether a response has all the body its Content-Length declares. */
    private static boolean complete(String answer) {
        int end = answer.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        Map<String, String> headers = new HashMap<>();
        for (String line : answer.substring(0, end).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        String length = headers.get("content-length");
        return length != null && answer.length() - end - 4 >= Integer.parseInt(length);
    }
}
