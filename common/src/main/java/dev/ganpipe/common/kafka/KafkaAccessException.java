package dev.ganpipe.common.kafka;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;

/**
 * The broker refused this client: wrong credentials (authentication) or a missing ACL (authorization). Kafka reports
 * both as exceptions deep in a cause chain, often wrapped by Kafka Streams or a future; {@link #of} finds them and
 * says, in one sentence, what failed and what the operator should check, so that logs, {@code /readyz} and start-up
 * errors name the real problem instead of "unreachable" or a stack trace.
 */
public final class KafkaAccessException extends IllegalStateException {

    private static final long serialVersionUID = 1L;
    private static final Pattern JAAS_USER = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");
    /** Where the ACLs each service needs are listed. */
    public static final String ACL_DOC = "docs/security.md";

    private final boolean authentication;

    private KafkaAccessException(String message, Throwable cause, boolean authentication) {
        super(message, cause);
        this.authentication = authentication;
    }

    /** True for wrong credentials (the login failed), false for a missing ACL (logged in, not allowed). */
    public boolean authentication() {
        return authentication;
    }

    /**
     * The explanation of {@code error} when an authentication or authorization failure is anywhere in its cause chain;
     * empty for any other error.
     *
     * @param kafka the client's settings, to name the broker, the user and the security settings in the message
     */
    public static Optional<KafkaAccessException> of(Throwable error, KafkaSettings kafka) {
        return of(error, kafka.bootstrapServers(), kafka.clientProperties().getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT"),
                kafka.clientProperties().get(SaslConfigs.SASL_MECHANISM), user(kafka).orElse(null));
    }

    /** As {@link #of(Throwable, KafkaSettings)} when the settings are not at hand: the message names no user. */
    public static Optional<KafkaAccessException> of(Throwable error) {
        return of(error, null, null, null, null);
    }

    private static Optional<KafkaAccessException> of(Throwable error, String servers, String protocol, String mechanism, String user) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof KafkaAccessException known) {
                return Optional.of(known);
            }
            String broker = servers == null ? "Kafka" : "Kafka at " + servers;
            String who = user != null ? "user '" + user + "'" : "this client";
            if (t instanceof SslAuthenticationException) {
                return Optional.of(new KafkaAccessException("The TLS handshake with " + broker + " failed (" + tlsReason(t)
                        + "). Check ssl.truststore.location and ssl.truststore.password (the broker's CA), and for mutual TLS "
                        + "ssl.keystore.*, in the --kafka-config file or GAN_KAFKA_CLIENT_SSL_* variables.", error, true));
            }
            if (t instanceof AuthenticationException) {
                return Optional.of(new KafkaAccessException("Authentication failed: " + broker + " rejected the login of " + who
                        + (mechanism != null ? " with " + mechanism : "") + (protocol != null ? " over " + protocol : "")
                        + " (" + t.getMessage() + "). Check the user name and password in sasl.jaas.config (the --kafka-config "
                        + "file or GAN_KAFKA_CLIENT_SASL_JAAS_CONFIG), and that security.protocol and sasl.mechanism match the "
                        + "broker's listener.", error, true));
            }
            if (t instanceof AuthorizationException) {
                return Optional.of(new KafkaAccessException("Authorization failed: " + broker + " denied " + who + " "
                        + denied(t) + " (" + t.getMessage() + "). The principal lacks an ACL: grant it the ACLs "
                        + ACL_DOC + " lists for this service (kafka-acls --add ...), then restart the service.", error, false));
            }
        }
        return Optional.empty();
    }

    /**
     * Why a TLS handshake failed: Kafka's own message is only "SSL handshake failed"; the JDK's innermost one says what
     * was wrong (an untrusted certificate, a host name the certificate does not name, a missing client certificate).
     */
    private static String tlsReason(Throwable ssl) {
        String reason = ssl.getMessage();
        for (Throwable c = ssl.getCause(); c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                reason = c.getMessage();
            }
        }
        if (reason != null && reason.contains("unable to find valid certification path")) {
            return "the broker's certificate is not signed by a CA this client trusts: " + reason;
        }
        if (reason != null && reason.contains("certificate_required")) {
            return "the broker requires a client certificate (mutual TLS) and this client sent none: " + reason;
        }
        return reason;
    }

    private static String denied(Throwable t) {
        return switch (t) {
            case TopicAuthorizationException topics -> topics.unauthorizedTopics().isEmpty()
                    ? "access to a topic (reading, writing, describing or creating it)"
                    : "access to topic(s) " + new TreeSet<>(topics.unauthorizedTopics());
            case GroupAuthorizationException group -> "the consumer group" + (group.groupId() == null ? "" : " '" + group.groupId() + "'");
            case TransactionalIdAuthorizationException tx -> "a transactional id (Kafka Streams exactly-once needs Write and Describe "
                    + "on the transactional ids prefixed with its application id)";
            case ClusterAuthorizationException cluster -> "a cluster operation (creating topics needs Create; or create them "
                    + "beforehand and start with --create-topics false)";
            default -> "an operation";
        };
    }

    /**
     * The SASL user name in {@code sasl.jaas.config}, if any (never the password): the principal {@code User:<name>}
     * that ACLs are granted to.
     */
    public static Optional<String> user(KafkaSettings kafka) {
        String jaas = kafka.clientProperties().get(SaslConfigs.SASL_JAAS_CONFIG);
        if (jaas == null) {
            return Optional.empty();
        }
        Matcher m = JAAS_USER.matcher(jaas);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The topics named by a topic authorization failure in the chain, for tests and callers that act on them. */
    public Set<String> unauthorizedTopics() {
        for (Throwable t = getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TopicAuthorizationException topics) {
                return Set.copyOf(topics.unauthorizedTopics());
            }
        }
        return Set.of();
    }
}
