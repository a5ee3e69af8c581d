package dev.ganpipe.client.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python package (clients/python) against a real broker and the real generator service: runs its unittests with
 * Debian's python3 and its python3-confluent-kafka, -numpy, -pil and -torch (.ci/run installs them), with the
 * addresses in {@code GANPIPE_BOOTSTRAP} and {@code GANPIPE_URL}, and fails when any fails or is skipped.
 */
class PythonClientTest {

    private static final String PYTHON = "/usr/bin/python3";

    @Test
    void thePythonPackageStreamsLabelledImagesFromTheTopicAndTheHttpApiIntoATrainingLoop(@TempDir Path data) throws Exception {
        Path packageDir = Path.of(System.getProperty("ganpipe.python.dir", "../python")).toAbsolutePath().normalize();
        assertThat(packageDir.resolve("ganpipe/__init__.py")).as("the Python package's sources").exists();
        assertThat(Path.of(PYTHON)).as("Debian's python3; install python3 python3-confluent-kafka python3-numpy python3-pil python3-torch "
                + "(see .ci/run)").isExecutable();
        try (Pipeline pipeline = Pipeline.start(data)) {
            Path log = data.resolve("python.log");
            ProcessBuilder unittest = new ProcessBuilder(PYTHON, "-m", "unittest", "discover", "-v", "-s", "tests", "-t", ".")
                    .directory(packageDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            unittest.environment().put("GANPIPE_BOOTSTRAP", pipeline.bootstrapServers());
            unittest.environment().put("GANPIPE_URL", pipeline.generatorUrl());
            unittest.environment().put("PYTHONDONTWRITEBYTECODE", "1");
            unittest.environment().put("OMP_NUM_THREADS", "1");
            Process python = unittest.start();
            boolean ended = python.waitFor(5, TimeUnit.MINUTES);
            if (!ended) {
                python.destroyForcibly();
            }
            String output = read(log);
            System.out.println(output);
            assertThat(ended).as("the Python tests ended within 5 minutes:%n%s", output).isTrue();
            assertThat(python.exitValue()).as("the Python tests' exit status:%n%s", output).isZero();
            assertThat(output).as("every Python test ran, none skipped").containsPattern("Ran [1-9][0-9]* tests").doesNotContain("skipped");
        }
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no output)";
    }
}
