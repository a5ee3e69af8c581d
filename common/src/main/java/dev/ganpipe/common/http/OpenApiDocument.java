package dev.ganpipe.common.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A service's OpenAPI 3.1 document, {@code openapi.json} in the package of its routes: written once, served as it is
 * at {@code GET /openapi.json}, and checked against the service's real answers by its tests.
 */
public final class OpenApiDocument {

    /** The path every service serves its document at. */
    public static final String PATH = "/openapi.json";
    /** The resource name, next to the class that builds the routes. */
    public static final String RESOURCE = "openapi.json";

    private OpenApiDocument() {
    }

    /** The document beside {@code routesClass}; read at start, so a jar built without it fails at once. */
    public static byte[] of(Class<?> routesClass) {
        try (InputStream in = routesClass.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The resource " + RESOURCE + " is missing beside " + routesClass.getName()
                        + "; put the service's OpenAPI document in src/main/resources under that package and rebuild.");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Reading " + RESOURCE + " beside " + routesClass.getName() + " failed; rebuild the jar.", e);
        }
    }
}
