package dev.ganpipe.common.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * A service's routing table, built in one method that tests call directly. Paths are exact, or contain
 * {@code {name}} segments that match one path segment each.
 */
public final class Routes {

    /** One route: method, path pattern and handler. */
    public record Route(String method, String pattern, Handler handler) {
    }

    /** A matched route with its path parameters. */
    public record Match(Route route, Map<String, String> pathParams) {
    }

    private final List<Route> routes = new ArrayList<>();

    public Routes get(String pattern, Handler handler) {
        return add("GET", pattern, handler);
    }

    public Routes post(String pattern, Handler handler) {
        return add("POST", pattern, handler);
    }

    public Routes add(String method, String pattern, Handler handler) {
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("Route patterns start with '/', but got '" + pattern + "'.");
        }
        routes.add(new Route(method, pattern, handler));
        return this;
    }

    /**
     * Adds {@code /healthz} (always 200 while the process serves), {@code /readyz} (200 or 503 from
     * {@code ready}) and {@code /metrics} (Prometheus text).
     */
    public Routes standard(PrometheusMeterRegistry registry, BooleanSupplier ready, String notReadyReason) {
        get("/healthz", r -> Response.json(200, Map.of("status", "ok")));
        get("/readyz", r -> ready.getAsBoolean()
                ? Response.json(200, Map.of("status", "ready"))
                : Response.error(503, "not_ready", notReadyReason));
        get("/metrics", r -> Response.of(200, "text/plain; version=0.0.4; charset=utf-8",
                registry.scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return this;
    }

    /**
     * Adds {@code GET /openapi.json}: the OpenAPI document beside {@code routesClass} (see {@link OpenApiDocument}),
     * open to anyone like {@code /healthz}, since it describes the API and holds no data.
     */
    public Routes openApi(Class<?> routesClass) {
        byte[] document = OpenApiDocument.of(routesClass);
        return get(OpenApiDocument.PATH, r -> Response.of(200, "application/json", document));
    }

    /**
     * The route for a method and path, if any. HEAD takes the GET route (RFC 9110 9.3.2: the same answer without
     * its body), so health checkers and link checkers that send HEAD get what GET would say.
     */
    public Optional<Match> match(String method, String path) {
        String wanted = method.equals("HEAD") ? "GET" : method;
        for (Route route : routes) {
            if (!route.method().equals(wanted)) {
                continue;
            }
            Map<String, String> params = matchPattern(route.pattern(), path);
            if (params != null) {
                return Optional.of(new Match(route, params));
            }
        }
        return Optional.empty();
    }

    /** Whether any route has this path under another method (for 405 rather than 404). */
    public boolean pathExists(String path) {
        return routes.stream().anyMatch(r -> matchPattern(r.pattern(), path) != null);
    }

    /** The declared routes, e.g. for a test that lists them. */
    public List<Route> all() {
        return List.copyOf(routes);
    }

    private static Map<String, String> matchPattern(String pattern, String path) {
        String[] want = pattern.split("/", -1);
        String[] got = path.split("/", -1);
        if (want.length != got.length) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < want.length; i++) {
            if (want[i].startsWith("{") && want[i].endsWith("}")) {
                if (got[i].isEmpty()) {
                    return null;
                }
                params.put(want[i].substring(1, want[i].length() - 1), got[i]);
            } else if (!want[i].equals(got[i])) {
                return null;
            }
        }
        return params;
    }
}
