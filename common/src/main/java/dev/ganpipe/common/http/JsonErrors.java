package dev.ganpipe.common.http;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answers Jetty makes itself, before a request reaches {@link Dispatcher} (a malformed request line or header, a
 * head over the limit, a timeout): the JSON error body of DESIGN.md with a fixed sentence per status. Jetty's own
 * message is never sent, since it may name a Java exception ({@code Content-Length: abc} once answered
 * {@code NumberFormatException thrown}).
 */
final class JsonErrors extends ErrorHandler {

    @Override
    protected void generateResponse(Request request, Response response, int status, String message, Throwable cause, Callback callback) {
        write(response, status, callback);
    }

    static void write(Response response, int status, Callback callback) {
        dev.ganpipe.common.http.Response answer = answer(status);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.write(true, ByteBuffer.wrap(answer.body()), callback);
    }

    /** The JSON answer for a status the server gives on its own. */
    static dev.ganpipe.common.http.Response answer(int status) {
        return switch (status) {
            case 400 -> dev.ganpipe.common.http.Response.error(400, "bad_request",
                    "The request is malformed: its request line, a header or its length is not valid HTTP/1.1.");
            case 408 -> dev.ganpipe.common.http.Response.error(408, "request_timeout",
                    "The request arrived too slowly; send it at once, as fast as the network allows.");
            case 413 -> dev.ganpipe.common.http.Response.error(413, "too_large", "The request is larger than this service accepts.");
            case 414 -> dev.ganpipe.common.http.Response.error(414, "uri_too_long",
                    "The request line is longer than this service accepts; shorten the URL.");
            case 431 -> dev.ganpipe.common.http.Response.error(431, "headers_too_large",
                    "The request's headers are more or larger than this service accepts; send fewer or shorter ones.");
            default -> dev.ganpipe.common.http.Response.error(status, status >= 500 ? "internal" : "bad_request",
                    "The server could not serve this request (HTTP status " + status + ").");
        };
    }
}
