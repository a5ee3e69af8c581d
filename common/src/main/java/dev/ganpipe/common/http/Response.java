package dev.ganpipe.common.http;

import dev.ganpipe.common.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a handler answers: status, content type, body and extra headers.
 *
 * @param status HTTP status
 * @param contentType the Content-Type header
 * @param body the full body
 * @param headers extra response headers
 */
public record Response(int status, String contentType, byte[] body, Map<String, String> headers) {

    public Response {
        headers = Map.copyOf(headers);
    }

    public static Response of(int status, String contentType, byte[] body) {
        return new Response(status, contentType, body, Map.of());
    }

    public static Response json(int status, Object value) {
        return of(status, "application/json", Json.bytes(value));
    }

    public static Response text(int status, String text) {
        return of(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    public static Response png(byte[] png) {
        return of(200, "image/png", png);
    }

    /** The JSON error body of DESIGN.md. */
    public static Response error(int status, String code, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        return json(status, body);
    }

    /** A copy with one more header. */
    public Response withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new Response(status, contentType, body, copy);
    }
}
