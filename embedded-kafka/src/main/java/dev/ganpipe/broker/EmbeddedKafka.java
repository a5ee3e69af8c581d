package dev.ganpipe.broker;

import dev.ganpipe.common.Service;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft broker in this JVM. Its data directory survives a restart: starting again on the same
 * directory keeps every topic and offset (the storage is formatted only once), which the fault tests rely on.
 * {@link Builder#member} makes it one node of a cluster instead (see {@code dev.ganpipe.broker.cluster}).
 *
 * <p>{@link #start(Path, int)} gives a plaintext broker anyone may use. {@link #builder(Path)} can instead secure the
 * client listener with SASL/SCRAM-SHA-512 (users created in the storage at format time, as
 * {@code kafka-storage format --add-scram} does) and switch on KRaft's {@code StandardAuthorizer}, so that a client
 * needs both the right password and the right ACLs, as on a production cluster. {@link Builder#tls} encrypts the
 * listeners with a certificate of {@link Certificates} (SSL, or SASL_SSL with SCRAM), and
 * {@link Builder#requireClientCertificates()} makes it mutual TLS, where a client's certificate subject is its principal.
 */
public final class EmbeddedKafka implements Service {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    /** The node id of a broker that is not a member of a {@link KraftQuorum}. */
    private static final int SINGLE_NODE_ID = 1;
    /** The SCRAM mechanism of the secured listener. */
    public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";
    /** KRaft's authorizer: ACLs live in the metadata log. */
    static final String STANDARD_AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";
    private static final String CLIENT_LISTENER = "CLIENT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private final KafkaRaftServer server;
    private final DataDirLock dataDirLock;
    private final int port;
    private final Path dataDir;
    private final Optional<Credentials> superUser;
    private final Optional<Certificates> tls;
    private final boolean clientCertificates;
    private volatile boolean closed;

    private EmbeddedKafka(KafkaRaftServer server, DataDirLock dataDirLock, int port, Path dataDir, Optional<Credentials> superUser,
            Optional<Certificates> tls, boolean clientCertificates) {
        this.server = server;
        this.dataDirLock = dataDirLock;
        this.port = port;
        this.dataDir = dataDir;
        this.superUser = superUser;
        this.tls = tls;
        this.clientCertificates = clientCertificates;
    }

    /**
     * Formats {@code dataDir} if it is new, starts a plaintext broker on {@code port} (0 picks a free one), and
     * returns once clients can use it.
     *
     * @throws IllegalStateException when the broker cannot start; the message says why and what to do
     * @throws dev.ganpipe.common.config.ConfigException when another broker uses the data directory
     */
    public static EmbeddedKafka start(Path dataDir, int port) {
        return builder(dataDir).port(port).start();
    }

    /** A broker on {@code dataDir} to configure: plaintext on a free port unless told otherwise. */
    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** A user name and its password. */
    public record Credentials(String user, String password) {
        public Credentials {
            Objects.requireNonNull(user, "A SCRAM user name is required.");
            Objects.requireNonNull(password, "A SCRAM password is required.");
            // The storage formatter's --add-scram syntax and JAAS quoting both break on these characters.
            if (!user.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("The SCRAM user name '" + user + "' may only contain letters, digits, '.', '_' and '-'.");
            }
            if (password.length() < 1 || password.matches(".*[\",\\[\\]=\\\\].*")) {
                throw new IllegalArgumentException("The password of SCRAM user '" + user
                        + "' must not be empty nor contain '\"', ',', '[', ']', '=' or '\\'; choose another one.");
            }
        }
    }

    /** Options of a broker to start; {@code setX} style as in DJL's builders. */
    public static final class Builder {
        private final Path dataDir;
        private int port;
        private Credentials superUser;
        private final Map<String, Credentials> users = new LinkedHashMap<>();
        private boolean authorizer;
        private final List<AclBinding> acls = new ArrayList<>();
        private Certificates tls;
        private boolean clientCertificates;
        private KraftQuorum quorum;
        private int nodeId = SINGLE_NODE_ID;

        private Builder(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "The broker's data directory is required.");
        }

        /** The client port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("The broker port must be between 0 and 65535, not " + port + ".");
            }
            this.port = port;
            return this;
        }

        /**
         * Secures the client listener with SASL_PLAINTEXT and SCRAM-SHA-512, with {@code user} as the broker's own
         * identity (inter-broker and controller connections) and, with {@link #authorizer()}, the only super user.
         */
        public Builder scram(String user, String password) {
            this.superUser = new Credentials(user, password);
            return this;
        }

        /** Adds a SCRAM user (needs {@link #scram}); on an existing data directory its password is updated. */
        public Builder user(String user, String password) {
            users.put(user, new Credentials(user, password));
            return this;
        }

        /**
         * Encrypts the listeners with TLS, the broker presenting {@link Certificates#brokerKeystore()}: the client
         * listener speaks SSL, or SASL_SSL with {@link #scram}. Clients need {@link EmbeddedKafka#clientProperties()}
         * (the truststore of {@code certificates}). Without SCRAM the controller listener uses SSL as well.
         */
        public Builder tls(Certificates certificates) {
            this.tls = Objects.requireNonNull(certificates, "The broker's certificates are required; make them with Certificates.create(dir).");
            return this;
        }

        /**
         * Mutual TLS ({@code ssl.client.auth=required}, needs {@link #tls}): clients must present a certificate the CA
         * signed. Without SCRAM, a client's principal is then {@code User:} and its certificate's subject, e.g.
         * {@code User:CN=ingest,OU=gan}, and the broker's own ({@code User:}{@value Certificates#BROKER_DN}) is the super user.
         */
        public Builder requireClientCertificates() {
            this.clientCertificates = true;
            return this;
        }

        /**
         * Switches on the StandardAuthorizer: every client but the super user needs ACLs (no ACL means denied). Needs
         * identities: {@link #scram}, or {@link #tls} with {@link #requireClientCertificates()}.
         */
        public Builder authorizer() {
            this.authorizer = true;
            return this;
        }

        /**
         * Makes this broker node {@code nodeId} of a cluster of combined broker+controller nodes, listening on the ports
         * {@code quorum} gives it: internal topics then have {@link KraftQuorum#replication()} replicas and
         * {@code min.insync.replicas} is {@link KraftQuorum#minInsyncReplicas()}. Plaintext only.
         */
        public Builder member(KraftQuorum quorum, int nodeId) {
            this.quorum = Objects.requireNonNull(quorum, "The cluster's quorum is required.");
            quorum.node(nodeId); // refuses an id that is not in the quorum
            this.nodeId = nodeId;
            this.port = quorum.node(nodeId).brokerPort();
            return this;
        }

        /** ACLs created (as the super user) once the broker is up; needs {@link #authorizer()}. */
        public Builder acls(Collection<AclBinding> bindings) {
            acls.addAll(bindings);
            return this;
        }

        /**
         * Formats the data directory if it is new, starts the broker and returns once clients can use it.
         *
         * @throws IllegalStateException when the broker cannot start; the message says why and what to do
         * @throws dev.ganpipe.common.config.ConfigException when another broker uses the data directory
         */
        public EmbeddedKafka start() {
            if (clientCertificates && tls == null) {
                throw new IllegalStateException("Client certificates need a TLS listener; call tls(Certificates.create(dir)) as well.");
            }
            boolean certificateIdentities = tls != null && clientCertificates;
            if (superUser == null && (!users.isEmpty() || (authorizer && !certificateIdentities))) {
                throw new IllegalStateException("Users and the authorizer need a SASL/SCRAM listener (or, for the authorizer, mutual "
                        + "TLS: tls(...) and requireClientCertificates()); call scram(user, password) with the broker's own super user first.");
            }
            if (!authorizer && !acls.isEmpty()) {
                throw new IllegalStateException("ACLs were given but the authorizer is off; call authorizer() as well.");
            }
            if (quorum != null && (superUser != null || tls != null || authorizer)) {
                throw new IllegalStateException("A cluster member (member(...)) is plaintext only; leave out scram, tls and authorizer.");
            }
            return EmbeddedKafka.start(this);
        }
    }

    private static EmbeddedKafka start(Builder options) {
        DataDirLock lock = DataDirLock.acquire(options.dataDir); // before anything in the directory is touched
        try {
            return start(options, lock);
        } catch (RuntimeException e) {
            try {
                lock.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static EmbeddedKafka start(Builder options, DataDirLock lock) {
        Path dataDir = options.dataDir;
        int brokerPort = options.port == 0 ? LocalPorts.free() : options.port;
        KraftQuorum quorum = options.quorum != null ? options.quorum : KraftQuorum.single(SINGLE_NODE_ID, brokerPort, LocalPorts.free());
        Path logDir = dataDir.toAbsolutePath().resolve("kraft-logs");
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the broker's data directory " + logDir + "; check permissions and disk space.", e);
        }
        Optional<Credentials> superUser = Optional.ofNullable(options.superUser);
        Optional<Certificates> tls = Optional.ofNullable(options.tls);
        Properties props = brokerProperties(logDir, quorum, options.nodeId, superUser, options.authorizer, tls, options.clientCertificates);
        KafkaConfig config = KafkaConfig.fromProps(props);
        boolean formatted = format(logDir, quorum, options.nodeId, superUser);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            throw new IllegalStateException("The embedded Kafka broker could not start on port " + brokerPort
                    + "; if another Kafka already listens there, stop it or choose another port.", e);
        }
        EmbeddedKafka kafka = new EmbeddedKafka(server, lock, brokerPort, dataDir, superUser, tls, options.clientCertificates);
        try {
            // A cluster member waits for the others too: its broker serves nobody until a majority of controllers is up.
            kafka.awaitReady(Duration.ofSeconds(options.quorum == null ? 60 : 180));
            kafka.addUsersAndAcls(options.users.values(), options.acls);
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
        LOG.info("Embedded Kafka broker (KRaft) ready at {} ({}{}{}{}) with data in {}{}", kafka.bootstrapServers(),
                kafka.securityProtocol().name, superUser.isPresent() ? ", " + SCRAM_MECHANISM : "",
                options.clientCertificates ? ", client certificates required" : "",
                options.authorizer ? ", ACLs enforced" : "", logDir, formatted ? "" : " (existing)");
        return kafka;
    }

    /** {@code localhost:<port>}. */
    public String bootstrapServers() {
        return "localhost:" + port;
    }

    /** The broker port. */
    public int port() {
        return port;
    }

    /** The data directory given to {@link #start}. */
    public Path dataDir() {
        return dataDir;
    }

    /** Whether the client listener requires SASL/SCRAM. */
    public boolean secured() {
        return superUser.isPresent();
    }

    /** The client listener's protocol: PLAINTEXT, SASL_PLAINTEXT, SSL or SASL_SSL. */
    public SecurityProtocol securityProtocol() {
        if (superUser.isPresent()) {
            return tls.isPresent() ? SecurityProtocol.SASL_SSL : SecurityProtocol.SASL_PLAINTEXT;
        }
        return tls.isPresent() ? SecurityProtocol.SSL : SecurityProtocol.PLAINTEXT;
    }

    /**
     * What every client of this broker needs besides a login: {@code security.protocol} and, with TLS, the truststore
     * ({@code ssl.truststore.location}, {@code .type}, {@code .password}). Empty on a plaintext broker. With
     * {@link Builder#requireClientCertificates()}, add a client certificate ({@link Certificates#keystoreProperties}).
     */
    public Map<String, String> clientProperties() {
        if (securityProtocol() == SecurityProtocol.PLAINTEXT) {
            return Map.of();
        }
        Map<String, String> props = new LinkedHashMap<>();
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, securityProtocol().name);
        tls.ifPresent(certificates -> props.putAll(certificates.truststoreProperties()));
        return Map.copyOf(props);
    }

    /**
     * The client properties that log in as {@code user} with {@code password} ({@code security.protocol},
     * {@code sasl.mechanism}, {@code sasl.jaas.config}, and with TLS the truststore): what a {@code --kafka-config}
     * file holds. Without SCRAM, {@link #clientProperties()} (the user is then ignored): empty on a plaintext broker.
     */
    public Map<String, String> clientProperties(String user, String password) {
        if (superUser.isEmpty()) {
            return clientProperties();
        }
        Map<String, String> props = new LinkedHashMap<>(clientProperties());
        props.put(SaslConfigs.SASL_MECHANISM, SCRAM_MECHANISM);
        props.put(SaslConfigs.SASL_JAAS_CONFIG, scramJaas(user, password));
        return Map.copyOf(props);
    }

    /**
     * The client properties of the super user: the one given to {@link Builder#scram}, or with mutual TLS and no SCRAM
     * the broker's own certificate; otherwise {@link #clientProperties()}, empty on a plaintext broker.
     */
    public Map<String, String> superUserProperties() {
        if (superUser.isPresent()) {
            return clientProperties(superUser.get().user(), superUser.get().password());
        }
        if (tls.isPresent() && clientCertificates) {
            Map<String, String> props = new LinkedHashMap<>(clientProperties());
            props.putAll(tls.get().keystoreProperties(tls.get().brokerKeystore()));
            return Map.copyOf(props);
        }
        return clientProperties();
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            dataDirLock.close(); // only once the broker has let go of its files
        }
        LOG.info("Embedded Kafka broker at {} stopped", bootstrapServers());
    }

    private static String scramJaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\"" + password + "\";";
    }

    static Properties brokerProperties(Path logDir, KraftQuorum quorum, int nodeId, Optional<Credentials> superUser, boolean authorizer,
            Optional<Certificates> tls, boolean clientCertificates) {
        int brokerPort = quorum.node(nodeId).brokerPort();
        int controllerPort = quorum.node(nodeId).controllerPort();
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(nodeId));
        p.put("controller.quorum.voters", quorum.voters());
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        if (superUser.isEmpty() && tls.isEmpty()) {
            p.put("listeners", "PLAINTEXT://localhost:" + brokerPort + "," + CONTROLLER_LISTENER + "://localhost:" + controllerPort);
            p.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
            p.put("inter.broker.listener.name", "PLAINTEXT");
            p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        } else {
            p.put("listeners", CLIENT_LISTENER + "://localhost:" + brokerPort + "," + CONTROLLER_LISTENER + "://localhost:" + controllerPort);
            p.put("advertised.listeners", CLIENT_LISTENER + "://localhost:" + brokerPort);
            // The broker talks to itself (inter-broker) on the client listener, as a client would.
            p.put("inter.broker.listener.name", CLIENT_LISTENER);
        }
        if (superUser.isPresent()) {
            Credentials admin = superUser.get();
            p.put("listener.security.protocol.map", CLIENT_LISTENER + ":" + (tls.isPresent() ? "SASL_SSL" : "SASL_PLAINTEXT") + ","
                    + CONTROLLER_LISTENER + ":SASL_PLAINTEXT");
            // Clients, and the broker itself (inter-broker), log in with SCRAM; the credentials are in the metadata log.
            p.put("sasl.mechanism.inter.broker.protocol", SCRAM_MECHANISM);
            p.put("sasl.enabled.mechanisms", SCRAM_MECHANISM);
            String client = "listener.name." + CLIENT_LISTENER.toLowerCase(Locale.ROOT) + ".";
            p.put(client + "sasl.enabled.mechanisms", SCRAM_MECHANISM);
            p.put(client + SCRAM_MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config", scramJaas(admin.user(), admin.password()));
            // The controller cannot use SCRAM (its credentials live in the very metadata it serves), so the broker
            // logs in to it with PLAIN as the same super user; that listener is bound to localhost only.
            String controller = "listener.name." + CONTROLLER_LISTENER.toLowerCase(Locale.ROOT) + ".";
            p.put("sasl.mechanism.controller.protocol", "PLAIN");
            p.put(controller + "sasl.enabled.mechanisms", "PLAIN");
            p.put(controller + "plain.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                    + admin.user() + "\" password=\"" + admin.password() + "\" user_" + admin.user() + "=\"" + admin.password() + "\";");
        } else if (tls.isPresent()) {
            // No SASL: the controller listener is encrypted too, and with client certificates the broker's own certificate
            // is its identity there as well.
            p.put("listener.security.protocol.map", CLIENT_LISTENER + ":SSL," + CONTROLLER_LISTENER + ":SSL");
        }
        tls.ifPresent(certificates -> {
            // Defaults for every TLS listener and for the broker's own connections (inter-broker, controller), which
            // verify the host name localhost against the certificate as any client does.
            p.putAll(certificates.keystoreProperties(certificates.brokerKeystore()));
            p.putAll(certificates.truststoreProperties());
            p.put("ssl.client.auth", clientCertificates ? "required" : "none");
        });
        if (authorizer) {
            p.put("authorizer.class.name", STANDARD_AUTHORIZER);
            p.put("super.users", "User:" + superUser.map(Credentials::user).orElse(Certificates.BROKER_DN));
            p.put("allow.everyone.if.no.acl.found", "false");
        }
        p.put("log.dirs", logDir.toString());
        p.put("metadata.log.dir", logDir.toString());
        // One node: every internal topic has one replica; three: three replicas, two of which must have a write.
        String replication = Integer.toString(quorum.replication());
        String minInsync = Integer.toString(quorum.minInsyncReplicas());
        p.put("offsets.topic.replication.factor", replication);
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", replication);
        p.put("transaction.state.log.min.isr", minInsync);
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", replication);
        p.put("share.coordinator.state.topic.min.isr", minInsync);
        p.put("min.insync.replicas", minInsync);
        p.put("default.replication.factor", replication);
        p.put("group.initial.rebalance.delay.ms", "0");
        // Topics are created explicitly by the pipeline; a typo must fail, not create a stray topic.
        p.put("auto.create.topics.enable", "false");
        // Models are up to 64 MiB; the socket must accept such requests.
        p.put("socket.request.max.bytes", Integer.toString(128 * 1024 * 1024));
        p.put("log.segment.bytes", Integer.toString(64 * 1024 * 1024));
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        return p;
    }

    /** Formats the storage unless it was formatted before (the data is then kept); returns whether it formatted. */
    private static boolean format(Path logDir, KraftQuorum quorum, int nodeId, Optional<Credentials> superUser) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return false;
        }
        try (PrintStream quiet = new PrintStream(OutputStream.nullOutputStream())) {
            Formatter formatter = new Formatter()
                    .setPrintStream(quiet)
                    .setNodeId(nodeId)
                    // The members of one cluster share its id; a single broker gets a fresh one.
                    .setClusterId(quorum.clusterId().orElseGet(() -> Uuid.randomUuid().toString()))
                    .setDirectories(List.of(logDir.toString()))
                    .setMetadataLogDirectory(logDir.toString())
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setIgnoreFormatted(true);
            // The super user must exist before the broker starts: it is the broker's own inter-broker login.
            superUser.ifPresent(c -> formatter.setScramArguments(List.of(
                    SCRAM_MECHANISM + "=[name=" + c.user() + ",password=" + c.password() + "]")));
            formatter.run();
            return true;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format the broker's storage in " + logDir
                    + "; delete the directory if it holds data from another Kafka version, then start again.", e);
        }
    }

    private Properties adminProperties() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.putAll(superUserProperties());
        return props;
    }

    /** Creates or updates the users' SCRAM credentials and creates the ACLs, as the super user. */
    private void addUsersAndAcls(Collection<Credentials> users, List<AclBinding> acls) {
        if (users.isEmpty() && acls.isEmpty()) {
            return;
        }
        try (Admin admin = Admin.create(adminProperties())) {
            if (!users.isEmpty()) {
                List<UserScramCredentialAlteration> upserts = users.stream()
                        .<UserScramCredentialAlteration>map(c -> new UserScramCredentialUpsertion(
                                c.user(), new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), c.password()))
                        .toList();
                admin.alterUserScramCredentials(upserts).all().get(30, TimeUnit.SECONDS);
                awaitUsers(admin, users);
            }
            if (!acls.isEmpty()) {
                admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while adding users and ACLs to the embedded broker.", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("The embedded broker refused the SCRAM users or ACLs it was given: " + e.getMessage()
                    + " Check the user names and ACL bindings passed to EmbeddedKafka.builder().", e);
        }
    }

    /** SCRAM credentials reach the broker's authenticator through the metadata log, a moment after the controller accepts them. */
    private static void awaitUsers(Admin admin, Collection<Credentials> users) throws InterruptedException, ExecutionException, TimeoutException {
        List<String> names = users.stream().map(Credentials::user).toList();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (admin.describeUserScramCredentials(names).all().get(30, TimeUnit.SECONDS).size() < names.size()) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("The SCRAM credentials of " + names + " did not reach the broker within 30 s.");
            }
            Thread.sleep(50);
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(adminProperties())) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        close();
                        throw new IllegalStateException("The embedded Kafka broker did not become ready within " + timeout.toSeconds() + " s.", e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("Interrupted while waiting for the embedded Kafka broker to start.", e);
        }
    }
}
