package dev.ganpipe.common.http;

import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One HTTP request as handlers see it: method, path, decoded query, path parameters, headers and body. */
public final class Request {

    private final String method;
    private final String path;
    private final Map<String, List<String>> query;
    private final Map<String, String> pathParams;
    private final HeaderLookup headers;
    private final PacedBody body;

    Request(String method, String path, String rawQuery, Map<String, String> pathParams, HeaderLookup headers, PacedBody body) {
        this.method = method;
        this.path = path;
        this.query = parseQuery(rawQuery);
        this.pathParams = Map.copyOf(pathParams);
        this.headers = headers;
        this.body = body;
    }

    /** A request built directly, for handlers called without a server. */
    public static Request of(String method, String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? null : pathAndQuery.substring(q + 1);
        return new Request(method, path, query, Map.of(), name -> null, new PacedBody(InputStream.nullInputStream(), BodyPace.defaults()));
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    /** A path parameter declared as {@code {name}} in the route. */
    public String pathParam(String name) {
        String value = pathParams.get(name);
        if (value == null) {
            throw new IllegalArgumentException("Route has no path parameter {" + name + "}.");
        }
        return value;
    }

    /** The last value of a query parameter, if present and not empty. */
    public Optional<String> query(String name) {
        List<String> values = query.get(name);
        if (values == null || values.isEmpty() || values.getLast().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(values.getLast());
    }

    /**
     * An integer query parameter within [min, max].
     *
     * @throws HttpError 400 when it is not an integer or out of range
     */
    public long longParam(String name, long defaultValue, long min, long max) {
        Optional<String> raw = query(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        long value;
        try {
            value = Long.parseLong(raw.get().trim());
        } catch (NumberFormatException e) {
            throw HttpError.badRequest("Query parameter '" + name + "' must be an integer, but was '" + abbreviate(raw.get()) + "'.");
        }
        if (value < min || value > max) {
            throw HttpError.badRequest("Query parameter '" + name + "' must be between " + min + " and " + max + ", but was " + value + ".");
        }
        return value;
    }

    /** An int query parameter within [min, max]. */
    public int intParam(String name, int defaultValue, int min, int max) {
        return (int) longParam(name, defaultValue, min, max);
    }

    /** The first value of a header, if present. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.first(name));
    }

    /**
     * Reads the whole body, refusing more than {@code limit} bytes.
     *
     * @throws HttpError 413 when the body is larger than the limit, 408 when it arrives slower than the service's
     *     {@link BodyPace}, 400 when the client goes away before it is complete
     */
    public byte[] body(int limit) throws InterruptedException {
        return body.readAll(limit, BodyAllowance.UNLIMITED);
    }

    /**
     * Reads the whole body as {@link #body(int)} does, charging its bytes to {@code allowance} as they arrive.
     *
     * @throws HttpError also whatever the allowance refuses with
     */
    public byte[] body(int limit, BodyAllowance allowance) throws InterruptedException {
        return body.readAll(limit, allowance);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return result;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            result.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return result;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("The query string is not valid URL encoding.");
        }
    }
}
