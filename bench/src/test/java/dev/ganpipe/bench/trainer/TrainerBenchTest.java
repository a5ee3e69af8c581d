package dev.ganpipe.bench.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer bench's command line, its own broker and its exit status (never its figures: tests do not judge speed). */
class TrainerBenchTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    private int run(String... args) {
        return TrainerBench.run(List.of(args), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @Test
    void withoutBootstrapServersTheKafkaFedRowIsMeasuredOnABrokerTheBenchStartsAndStops(@TempDir Path dir) {
        int exit = run("--seconds", "1", "--warmup-steps", "1", "--batch", "8", "--threads", "1", "--dcgan64-width", "8",
                "--skip-pytorch", "--data", dir.resolve("no-fashion-mnist-here").toString());

        String printed = out.toString(StandardCharsets.UTF_8);
        String logged = log.toString(StandardCharsets.UTF_8);
        assertThat(printed).as(logged).containsPattern("\\| trainer, Kafka-fed \\| [0-9]+\\.[0-9] \\|")
                .containsPattern("ratio " + TrainerBench.RATIO_KAFKA + " [0-9]+\\.[0-9]{3}");
        Matcher broker = Pattern.compile("- Kafka broker: the bench's own single-node KRaft broker in this JVM, (.+):([0-9]+)").matcher(printed);
        assertThat(broker.find()).as(printed).isTrue();
        assertThatThrownBy(() -> new Socket(broker.group(1), Integer.parseInt(broker.group(2))).close())
                .as("the bench stops its broker at the end").isInstanceOf(IOException.class);
        // Only the PyTorch rows, left out on purpose here, keep the exit status from 0; stderr names them.
        assertThat(exit).isEqualTo(1);
        assertThat(logged).contains("exit status 1, because not every row was measured").contains("skipped (--skip-pytorch)")
                .doesNotContain("trainer, Kafka-fed: ");
    }

    @Test
    void aKafkaConfigWithoutABrokerToApplyItToIsAUsageErrorThatSaysWhatToDo(@TempDir Path dir) {
        assertThat(run("--kafka-config", dir.resolve("client.properties").toString())).isEqualTo(2);

        assertThat(log.toString(StandardCharsets.UTF_8)).contains("add --bootstrap-servers").contains("drop --kafka-config");
    }
}
