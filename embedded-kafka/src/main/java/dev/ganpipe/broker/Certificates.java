package dev.ganpipe.broker;

import dev.ganpipe.common.process.ProcessRun;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.SslConfigs;

/**
 * A throwaway certificate authority and the certificates it signs, for a broker with a TLS listener in tests and demos:
 * made with the JDK's own {@code keytool} (run as a process from {@code ${java.home}/bin}, one run per certificate:
 * {@code -genkeypair -signer}, JDK 19+), so no library beyond the JDK is needed. Everything is in PKCS12 files under
 * one directory, all with the same generated password, and valid for two days.
 *
 * <ul>
 *   <li>{@link #truststore()}: the CA certificate alone, what clients (and the broker, for mutual TLS) trust;</li>
 *   <li>{@link #brokerKeystore()}: the broker's key and certificate ({@value #BROKER_DN}, subject alternative names
 *       {@code dns:localhost} and {@code ip:127.0.0.1}, so clients verify the host name of {@code localhost:<port>});</li>
 *   <li>{@link #issue}: a further key and certificate, e.g. a client's for mutual TLS, whose subject becomes its
 *       Kafka principal ({@code User:CN=ingest,OU=gan}).</li>
 * </ul>
 */
public final class Certificates {

    /** The keystore type of every file: PKCS12, the JDK's default. */
    public static final String STORE_TYPE = "PKCS12";
    /** The subject of the broker's certificate; with mutual TLS, the broker's own principal is {@code User:} and this. */
    public static final String BROKER_DN = "CN=localhost,OU=gan-test-broker";
    private static final String CA_DN = "CN=gan-test-ca,OU=gan";
    private static final String CA_ALIAS = "ca";
    private static final String VALIDITY_DAYS = "2";
    private static final String PASSWORD_VARIABLE = "GAN_TEST_STORE_PASSWORD";
    private static final long KEYTOOL_TIMEOUT_SECONDS = 120;

    private final Path dir;
    private final String password;
    private final Path keytool;

    private Certificates(Path dir, String password, Path keytool) {
        this.dir = dir;
        this.password = password;
        this.keytool = keytool;
    }

    /**
     * Makes a new CA, the truststore and the broker's keystore in {@code dir} (created if needed; files of an earlier
     * run there are replaced).
     *
     * @throws IllegalStateException when keytool is missing or fails; the message says why and what to do
     */
    public static Certificates create(Path dir) {
        Path keytool = keytool();
        try {
            Files.createDirectories(dir);
            for (String name : List.of("ca.p12", "truststore.p12", "broker.p12")) {
                Files.deleteIfExists(dir.resolve(name));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the certificate directory " + dir + "; check permissions and disk space.", e);
        }
        Certificates certificates = new Certificates(dir.toAbsolutePath(), new BigInteger(100, new SecureRandom()).toString(36), keytool);
        certificates.makeCa();
        certificates.issue("broker", BROKER_DN, "SAN=dns:localhost,ip:127.0.0.1");
        return certificates;
    }

    /** The truststore holding the CA certificate alone. */
    public Path truststore() {
        return dir.resolve("truststore.p12");
    }

    /** The broker's keystore: its key and its certificate chain up to the CA. */
    public Path brokerKeystore() {
        return dir.resolve("broker.p12");
    }

    /** The password of every store and key made here. */
    public String password() {
        return password;
    }

    /**
     * Makes a key and a certificate for {@code dn} (e.g. {@code CN=ingest,OU=gan}), signed by the CA, in the keystore
     * {@code <name>.p12}; returns its path.
     *
     * @throws IllegalStateException when keytool fails
     */
    public Path issue(String name, String dn) {
        return issue(name, dn, null);
    }

    /** The client properties that trust the CA: {@code ssl.truststore.location}, {@code .type} and {@code .password}. */
    public Map<String, String> truststoreProperties() {
        return Map.of(
                SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, truststore().toString(),
                SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, STORE_TYPE,
                SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, password);
    }

    /** The properties that present {@code keystore}'s certificate: {@code ssl.keystore.*} and {@code ssl.key.password}. */
    public Map<String, String> keystoreProperties(Path keystore) {
        return Map.of(
                SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, keystore.toString(),
                SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, STORE_TYPE,
                SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, password,
                SslConfigs.SSL_KEY_PASSWORD_CONFIG, password);
    }

    private void makeCa() {
        Path ca = dir.resolve("ca.p12");
        run("create the CA", "-genkeypair", "-alias", CA_ALIAS, "-dname", CA_DN, "-ext", "bc:c", "-keyalg", "EC", "-groupname", "secp256r1",
                "-validity", VALIDITY_DAYS, "-keystore", ca.toString(), "-storetype", STORE_TYPE);
        // The truststore holds the CA's certificate alone, as a trusted entry.
        KeyStore trust = emptyStore();
        try {
            trust.setCertificateEntry("gan-test-ca", load(ca).getCertificate(CA_ALIAS));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot put the test CA's certificate into " + truststore() + ": " + e.getMessage(), e);
        }
        store(trust, truststore());
    }

    private Path issue(String name, String dn, String subjectAlternativeNames) {
        Objects.requireNonNull(dn, "A certificate subject (distinguished name) is required, e.g. CN=ingest,OU=gan.");
        if (!name.matches("[A-Za-z0-9._-]+") || name.equals("ca") || name.equals("truststore")) {
            throw new IllegalArgumentException("The keystore name '" + name + "' must be letters, digits, '.', '_' or '-', "
                    + "and neither 'ca' nor 'truststore'.");
        }
        Path keystore = dir.resolve(name + ".p12");
        try {
            // keytool signs with a key of the same keystore: start from a copy of the CA's, drop the CA's key after.
            Files.copy(dir.resolve("ca.p12"), keystore, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + keystore + "; check permissions and disk space.", e);
        }
        List<String> arguments = new ArrayList<>(List.of("-genkeypair", "-alias", name, "-dname", dn, "-keyalg", "EC", "-groupname", "secp256r1",
                "-validity", VALIDITY_DAYS, "-signer", CA_ALIAS, "-signerkeypass:env", PASSWORD_VARIABLE,
                "-keystore", keystore.toString(), "-storetype", STORE_TYPE));
        if (subjectAlternativeNames != null) {
            arguments.addAll(List.of("-ext", subjectAlternativeNames));
        }
        run("issue the certificate of " + dn, arguments.toArray(String[]::new));
        KeyStore store = load(keystore);
        try {
            // Left in, the CA's key could be what the broker or client presents.
            store.deleteEntry(CA_ALIAS);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot remove the CA's key from " + keystore + ": " + e.getMessage(), e);
        }
        store(store, keystore);
        return keystore;
    }

    private KeyStore load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance(STORE_TYPE);
            store.load(in, password.toCharArray());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot read the keystore " + file + " that keytool wrote: " + e.getMessage(), e);
        }
    }

    private KeyStore emptyStore() {
        try {
            KeyStore store = KeyStore.getInstance(STORE_TYPE);
            store.load(null, password.toCharArray());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("This JDK cannot create a " + STORE_TYPE + " keystore: " + e.getMessage(), e);
        }
    }

    private void store(KeyStore store, Path file) {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot write the keystore " + file + ": " + e.getMessage(), e);
        }
    }

    /** Runs keytool with {@code arguments} and the password (from an environment variable, not the command line). */
    private void run(String step, String... arguments) {
        List<String> command = new ArrayList<>(List.of(keytool.toString(), "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
        command.addAll(List.of(arguments));
        command.addAll(List.of("-storepass:env", PASSWORD_VARIABLE));
        if (arguments[0].equals("-genkeypair")) {
            command.addAll(List.of("-keypass:env", PASSWORD_VARIABLE));
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().put(PASSWORD_VARIABLE, password);
        ProcessRun run;
        try {
            run = ProcessRun.of(builder, Duration.ofSeconds(KEYTOOL_TIMEOUT_SECONDS));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run " + keytool + " to " + step + " for the test certificates: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while keytool was to " + step + ".", e);
        }
        if (!run.finished()) {
            throw new IllegalStateException("keytool did not " + step + " within " + KEYTOOL_TIMEOUT_SECONDS + " s; is the machine overloaded?");
        }
        if (run.exitCode() != 0) {
            throw new IllegalStateException("keytool failed to " + step + " (exit code " + run.exitCode() + "): " + run.output().trim()
                    + " Command: " + String.join(" ", command));
        }
    }

    /** The JDK's keytool, next to the java that runs this. */
    private static Path keytool() {
        String home = System.getProperty("java.home");
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        Path keytool = Path.of(home, "bin", windows ? "keytool.exe" : "keytool");
        if (!Files.isExecutable(keytool)) {
            throw new IllegalStateException("The embedded broker's TLS certificates are made with the JDK's keytool, but " + keytool
                    + " is missing or not executable. Run with a full JDK 21+ (JAVA_HOME pointing at it; ./gan finds one), "
                    + "not a runtime image without keytool.");
        }
        return keytool;
    }
}
