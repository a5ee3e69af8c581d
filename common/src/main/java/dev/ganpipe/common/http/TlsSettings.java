package dev.ganpipe.common.http;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * HTTPS for a service's port: a key store file (PKCS12, or JKS) holding the server's private key and certificate
 * chain, and its password. The server re-reads the file when it changes (checked every {@link #reloadCheck}), so a
 * renewed certificate takes effect without a restart; connections already open keep the one they began with.
 *
 * @param keystore the key store file, e.g. made by {@code keytool -genkeypair -storetype PKCS12} or
 *     {@code openssl pkcs12 -export} from PEM files
 * @param password the key store's password (and its key's)
 * @param reloadCheck how often the file is checked for a change, at least one second
 */
public record TlsSettings(Path keystore, String password, Duration reloadCheck) {

    public TlsSettings {
        Objects.requireNonNull(keystore, "keystore");
        Objects.requireNonNull(password, "password");
        if (!Files.isReadable(keystore)) {
            throw new IllegalArgumentException("The TLS key store " + keystore.toAbsolutePath() + " is not a readable file; pass a PKCS12 key "
                    + "store with the server's key and certificate (see docs/security.md), or leave --tls-keystore out to serve plain HTTP.");
        }
        if (reloadCheck.toSeconds() < 1) {
            throw new IllegalArgumentException("The TLS key store is checked for changes at most once a second, but got " + reloadCheck + ".");
        }
    }

    /** The key store re-read when it changes, checked every 10 s. */
    public static TlsSettings of(Path keystore, String password) {
        return new TlsSettings(keystore, password, Duration.ofSeconds(10));
    }

    @Override
    public String toString() {
        // The password stays out of logs.
        return "TlsSettings[keystore=" + keystore + ", reloadCheck=" + reloadCheck + "]";
    }
}
