package dev.ganpipe.common.http;

import dev.ganpipe.common.config.ConfigException;
import dev.ganpipe.common.config.ConfigSpec;
import dev.ganpipe.common.config.ConfigValues;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The HTTP server options every service shares, declared once: HTTPS ({@code --tls-keystore}), the access log, and
 * whether bearer keys may travel over plain HTTP.
 *
 * @param tls HTTPS on the service's port, or plain HTTP
 * @param accessLog a line per request, or none
 * @param keysOverPlainHttp the operator's opt-in to API keys on a port without TLS
 */
public record HttpServerConfig(Optional<TlsSettings> tls, AccessLog accessLog, boolean keysOverPlainHttp) {

    static final String TLS_KEYSTORE = "tls-keystore";
    static final String TLS_KEYSTORE_PASSWORD = "tls-keystore-password";
    static final String TLS_RELOAD_CHECK = "tls-reload-check";
    static final String ACCESS_LOG = "access-log";
    static final String KEYS_OVER_PLAIN_HTTP = "allow-keys-over-plain-http";

    /** Plain HTTP, no access log, keys refused over plain HTTP: what a test's server gets. */
    public static HttpServerConfig plain() {
        return new HttpServerConfig(Optional.empty(), AccessLog.off(), false);
    }

    /** The options, for a service's {@link ConfigSpec} ({@code spec.addAll(HttpServerConfig.options())}). */
    public static ConfigSpec options() {
        return new ConfigSpec("http", "HTTP server options")
                .optional(TLS_KEYSTORE, "Serve HTTPS with this PKCS12 (or JKS) key store: the server's key and certificate chain "
                        + "(docs/security.md shows how to make one from PEM files). Re-read when the file changes.")
                .optional(TLS_KEYSTORE_PASSWORD, "Password of --tls-keystore (best set through its environment variable).")
                .add(TLS_RELOAD_CHECK, "10s", "How often --tls-keystore is checked for a change.")
                .flag(ACCESS_LOG, "Log a line per HTTP request (method, path, status, bytes, ms, request id) on the logger "
                        + AccessLog.LOGGER + ".")
                .flag(KEYS_OVER_PLAIN_HTTP, "Accept API keys on a port without --tls-keystore (anyone on the network path can "
                        + "read them); without it a service given a key and no TLS refuses to start.");
    }

    /** The options' values. */
    public static HttpServerConfig from(ConfigValues v) {
        Optional<TlsSettings> tls = Optional.empty();
        if (v.optional(TLS_KEYSTORE).isPresent()) {
            String password = v.optional(TLS_KEYSTORE_PASSWORD).orElseThrow(() -> new ConfigException("--" + TLS_KEYSTORE
                    + " needs --" + TLS_KEYSTORE_PASSWORD + " (or its environment variable) to open the key store."));
            try {
                tls = Optional.of(new TlsSettings(Path.of(v.string(TLS_KEYSTORE)), password, v.duration(TLS_RELOAD_CHECK)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage(), e);
            }
        }
        return new HttpServerConfig(tls, v.bool(ACCESS_LOG) ? AccessLog.on() : AccessLog.off(), v.bool(KEYS_OVER_PLAIN_HTTP));
    }

    /**
     * Refuses a configuration that would send bearer keys in clear without the operator saying so.
     *
     * @param keysConfigured whether the service was given any API or admin key
     * @throws ConfigException when keys are set, TLS is not, and {@code --allow-keys-over-plain-http} is not given
     */
    public void requireSafeKeys(boolean keysConfigured, String service) {
        if (keysConfigured && tls.isEmpty() && !keysOverPlainHttp) {
            throw new ConfigException(service + " was given an API key but serves plain HTTP, where anyone on the network path can read "
                    + "the key. Serve HTTPS with --" + TLS_KEYSTORE + " and --" + TLS_KEYSTORE_PASSWORD + ", or accept the risk with --"
                    + KEYS_OVER_PLAIN_HTTP + " (e.g. on localhost or behind a TLS-terminating proxy).");
        }
    }

    /** A service's server options with these settings. */
    public HttpService.Options applyTo(HttpService.Options options) {
        HttpService.Options withLog = options.with(accessLog);
        return tls.map(withLog::with).orElse(withLog);
    }
}
