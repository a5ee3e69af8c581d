package dev.ganpipe.generator.http;

import dev.ganpipe.common.http.HttpError;
import dev.ganpipe.common.http.Request;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/** Checks {@code Authorization: Bearer <key>} against configured keys in constant time. */
final class BearerAuth {

    private static final String PREFIX = "Bearer ";

    private BearerAuth() {
    }

    /**
     * Passes when no key is configured or the request carries one of {@code keys}.
     *
     * @param what the protected thing, for the error message, e.g. {@code "Activating models"}
     * @param flag the option that sets the key, e.g. {@code --admin-key}
     * @throws HttpError 401 without a bearer token, 403 with a wrong one
     */
    static void require(Request request, List<Optional<String>> keys, String what, String flag) {
        List<String> accepted = keys.stream().flatMap(Optional::stream).toList();
        if (keys.getFirst().isEmpty()) {
            return;
        }
        String header = request.header("Authorization").orElse("");
        if (!header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw new HttpError(401, "unauthorized", what + " needs the header 'Authorization: Bearer <key>' with the key set by " + flag + ".");
        }
        byte[] given = digest(header.substring(PREFIX.length()).trim());
        boolean ok = false;
        for (String key : accepted) {
            // Comparing digests of equal length keeps the comparison constant-time whatever the key lengths.
            ok |= MessageDigest.isEqual(given, digest(key));
        }
        if (!ok) {
            throw new HttpError(403, "forbidden", what + " was refused: the bearer key does not match " + flag + ".");
        }
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK provides SHA-256; this JVM is broken.", e);
        }
    }
}
