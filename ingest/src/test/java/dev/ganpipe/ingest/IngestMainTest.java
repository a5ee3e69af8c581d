package dev.ganpipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestMainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void helpIsPrintedAndExitsZero() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--max-pixels").contains("GAN_MAX_PIXELS");
    }

    @Test
    void aDryRunOfTheBundledSampleNeedsNoBrokerAndReportsEveryImageValid() {
        assertThat(run("--dry-run", "sample:fashion-mnist")).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("dry run read 500 images").contains("500 valid, 0 would be rejected");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        assertThat(run("--colour", "red", "x")).isEqualTo(IngestMain.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unknown option --colour");
    }

    @Test
    void aMissingPathIsAUsageErrorThatSaysWhatIsAccepted() {
        assertThat(run("--dry-run", "/no/such/place")).isEqualTo(IngestMain.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("There is no file or folder at /no/such/place");
    }

    private int run(String... args) {
        return IngestMain.run(List.of(args), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
