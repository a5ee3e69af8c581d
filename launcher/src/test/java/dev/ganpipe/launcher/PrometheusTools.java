package dev.ganpipe.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/** The Prometheus binaries the monitoring tests run: required in CI, which installs them; elsewhere the test is skipped, saying why. */
final class PrometheusTools {

    private PrometheusTools() {
    }

    /** {@code found}, or a skipped test outside CI and a failed one in CI. */
    static Path require(Optional<Path> found, String name) {
        if (found.isEmpty()) {
            // CI installs Debian's prometheus package (.ci/run); elsewhere say what is missing rather than pass.
            assertThat(System.getenv("CI")).as(name + " must be installed in CI (apt-get install prometheus)").isNull();
            Assumptions.abort("'" + name + "' is not on the PATH; install Debian's prometheus package to run this test.");
        }
        return found.get();
    }
}
