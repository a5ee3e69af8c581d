package dev.ganpipe.common.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * Checks {@code Authorization: Bearer <key>} against configured keys in constant time: the given key and each
 * accepted key are hashed to SHA-256 and the digests compared with {@link MessageDigest#isEqual}, so neither the
 * position of the first differing byte nor the keys' lengths show in the time an answer takes.
 */
public final class BearerAuth {

    private static final String PREFIX = "Bearer ";

    private BearerAuth() {
    }

    /**
     * Passes when the first of {@code keys} is not configured (the endpoint is open), or the request carries one of
     * the configured {@code keys}.
     *
     * @param what the protected thing, for the error message, e.g. {@code "Activating models"}
     * @param flag the option that sets the key, e.g. {@code --admin-key}
     * @throws HttpError 401 without a bearer token, 403 with a wrong one
     */
    public static void require(Request request, List<Optional<String>> keys, String what, String flag) {
        if (keys.isEmpty() || keys.getFirst().isEmpty()) {
            return;
        }
        List<String> accepted = keys.stream().flatMap(Optional::stream).toList();
        String header = request.header("Authorization").orElse("");
        if (!header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw new HttpError(401, "unauthorized", what + " needs the header 'Authorization: Bearer <key>' with the key set by " + flag + ".");
        }
        byte[] given = digest(header.substring(PREFIX.length()).trim());
        boolean ok = false;
        for (String key : accepted) {
            // Every key is compared, with no early exit, so the time does not tell which one (if any) matched.
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
