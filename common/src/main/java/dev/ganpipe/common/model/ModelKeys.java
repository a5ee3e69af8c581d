package dev.ganpipe.common.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Collections;
import java.util.Optional;

/**
 * The trainer's model signing key and the generator's verify key, read from configuration: a PEM file
 * ({@code BEGIN PRIVATE KEY}, PKCS#8, for the trainer; {@code BEGIN PUBLIC KEY}, X.509, for the generator) or a PKCS12
 * or JKS keystore with its password (the first key entry for the trainer, the first certificate for the generator).
 * Ed25519 only, from the JDK alone.
 */
public final class ModelKeys {

    /** File names {@link #ensurePair} writes. */
    public static final String PRIVATE_FILE = "model-signing-key.pem";
    public static final String PUBLIC_FILE = "model-verify-key.pem";

    private static final String ALGORITHM = "Ed25519";

    private ModelKeys() {
    }

    /** The private key in {@code file}; {@code password} only for a keystore. */
    public static PrivateKey privateKey(Path file, Optional<String> password) {
        if (isPem(file)) {
            return decode(file, "PRIVATE KEY", bytes -> KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(bytes)));
        }
        KeyStore store = keystore(file, password);
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    Key key = store.getKey(alias, password.orElseThrow().toCharArray());
                    if (key instanceof PrivateKey privateKey) {
                        return privateKey;
                    }
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot read the private key in keystore " + file + " (" + e.getMessage()
                    + "); check --model-key-password.", e);
        }
        throw new IllegalArgumentException("Keystore " + file + " holds no private key; create one with 'keytool -genkeypair -keyalg Ed25519'.");
    }

    /** The public key in {@code file}; {@code password} only for a keystore. */
    public static PublicKey publicKey(Path file, Optional<String> password) {
        if (isPem(file)) {
            return decode(file, "PUBLIC KEY", bytes -> KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(bytes)));
        }
        KeyStore store = keystore(file, password);
        try {
            for (String alias : Collections.list(store.aliases())) {
                Certificate certificate = store.getCertificate(alias);
                if (certificate != null) {
                    return certificate.getPublicKey();
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot read keystore " + file + " (" + e.getMessage() + "); check --model-key-password.", e);
        }
        throw new IllegalArgumentException("Keystore " + file + " holds no certificate with the trainer's public key; import it with "
                + "'keytool -importcert' or give the public key as a PEM file.");
    }

    /**
     * Makes an Ed25519 key pair in {@code dir} unless one is there already (the demo's first start), the private half
     * readable by this user only.
     *
     * @return the private key file; the public one is {@link #PUBLIC_FILE} beside it
     */
    public static Path ensurePair(Path dir) {
        Path privateFile = dir.resolve(PRIVATE_FILE);
        Path publicFile = dir.resolve(PUBLIC_FILE);
        if (Files.exists(privateFile) && Files.exists(publicFile)) {
            return privateFile;
        }
        try {
            Files.createDirectories(dir);
            KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
            Files.writeString(publicFile, pem("PUBLIC KEY", pair.getPublic().getEncoded()), StandardCharsets.US_ASCII);
            Path tmp = Files.createTempFile(dir, "key", ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system (Windows): the file keeps the folder's permissions.
                tmp.toFile().setReadable(true, true);
            }
            Files.writeString(tmp, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
            ModelDirectory.atomicWrite(privateFile, Files.readAllBytes(tmp));
            Files.delete(tmp);
            return privateFile;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write a model signing key pair to " + dir.toAbsolutePath() + "; check that it is writable.", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JDK cannot make Ed25519 keys (" + e.getMessage() + "); run on JDK 15 or newer.", e);
        }
    }

    private interface KeyDecoder<K> {
        K decode(byte[] der) throws GeneralSecurityException;
    }

    private static boolean isPem(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1).contains("-----BEGIN ");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the model key file " + file.toAbsolutePath() + "; check the path and its permissions.", e);
        }
    }

    private static <K> K decode(Path file, String type, KeyDecoder<K> decoder) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the model key file " + file.toAbsolutePath() + "; check the path and its permissions.", e);
        }
        int begin = text.indexOf("-----BEGIN " + type + "-----");
        int end = text.indexOf("-----END " + type + "-----");
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("The key file " + file + " holds no '" + type + "' PEM block; give a PKCS#8 private key "
                    + "(BEGIN PRIVATE KEY) to the trainer and an X.509 public key (BEGIN PUBLIC KEY) to the generator.");
        }
        String base64 = text.substring(begin + ("-----BEGIN " + type + "-----").length(), end).replaceAll("\\s", "");
        try {
            return decoder.decode(Base64.getDecoder().decode(base64));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("The key file " + file + " is not an Ed25519 " + type.toLowerCase(java.util.Locale.ROOT) + " ("
                    + e.getMessage() + "); make one with 'openssl genpkey -algorithm ed25519' or let './gan demo' make a pair.", e);
        }
    }

    private static KeyStore keystore(Path file, Optional<String> password) {
        if (password.isEmpty()) {
            throw new IllegalArgumentException("The model key file " + file + " is not PEM, so it is read as a keystore, which needs "
                    + "--model-key-password.");
        }
        try {
            return KeyStore.getInstance(file.toFile(), password.get().toCharArray());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot open " + file + " as a PEM key or a PKCS12/JKS keystore (" + e.getMessage()
                    + "); check the path and --model-key-password.", e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END " + type
                + "-----\n";
    }
}
