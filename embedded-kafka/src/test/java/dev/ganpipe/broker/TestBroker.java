package dev.ganpipe.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real broker for the tests of one class: started before the first test (and before the class's {@code @BeforeAll}
 * methods) on a free port, in a data directory of its own, and closed, its data deleted, after the last. A test may
 * {@link #stop()} it and {@link #startAgain()} on the same port and data, which is what a broker outage looks like to
 * the services. Shared with other modules' tests through this module's test-jar.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final TestBroker kafka = new TestBroker();
 * }</pre>
 */
public final class TestBroker implements BeforeAllCallback, AfterAllCallback {

    private Path dataDir;
    private int port;
    private EmbeddedKafka kafka;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dataDir = Files.createTempDirectory("test-kafka");
        kafka = EmbeddedKafka.start(dataDir, 0);
        port = kafka.port();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (kafka != null) {
            kafka.close();
        }
        if (dataDir != null) {
            deleteRecursively(dataDir);
        }
    }

    /** {@code localhost:<port>}; the same after {@link #startAgain()}. */
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Stops the broker, as a crash or an outage would; clients see it gone. */
    public void stop() {
        kafka.close();
    }

    /** Starts the broker again on the same port and data, after {@link #stop()}. */
    public void startAgain() {
        kafka = EmbeddedKafka.start(dataDir, port);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path path : paths) {
            Files.delete(path);
        }
    }
}
