package dev.ganpipe.common.kafka;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The default instance name of a process: its host name, which a restart keeps (a pod's or container's name). */
public final class ClientInstance {

    private static final Logger LOG = LoggerFactory.getLogger(ClientInstance.class);

    private ClientInstance() {
    }

    /**
     * The host name, reduced to the characters a client id keeps readable in metric labels and JMX names;
     * {@code localhost} where the machine has no name at all.
     */
    public static String hostName() {
        String name = System.getenv("HOSTNAME");
        if (name == null || name.isBlank()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                // A host with no resolvable name still runs; its operators name instances with --instance.
                LOG.warn("This host has no resolvable name ({}); Kafka client ids end in 'localhost'. Set --instance to tell replicas apart.",
                        e.getMessage());
                name = "localhost";
            }
        }
        String cleaned = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
        return cleaned.isBlank() ? "localhost" : cleaned;
    }
}
