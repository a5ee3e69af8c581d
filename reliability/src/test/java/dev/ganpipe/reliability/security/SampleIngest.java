package dev.ganpipe.reliability.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ganpipe.images.source.SampleData;
import dev.ganpipe.ingest.IngestConfig;
import dev.ganpipe.ingest.publish.IngestCommand;
import dev.ganpipe.ingest.publish.IngestSummary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The ingest CLI as the security tests run it: the bundled sample, through the client settings under test. */
final class SampleIngest {

    private SampleIngest() {
    }

    /**
     * Publishes the bundled Fashion-MNIST sample with {@code config} (its {@code --limit} caps the count) and checks that
     * {@code expected} images were sent; on failure the CLI's progress output says why.
     */
    static void sendsAll(IngestConfig config, int expected) throws IOException, InterruptedException {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        IngestSummary sent = IngestCommand.run(config, List.of(SampleData.FASHION_MNIST),
                new PrintStream(progress, true, StandardCharsets.UTF_8));
        assertThat(sent.sent()).as(progress.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
    }
}
