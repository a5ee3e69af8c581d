package dev.ganpipe.bench.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ganpipe.bench.PrintedRun;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer bench's command line, its own broker and its exit status (never its figures: tests do not judge speed). */
class TrainerBenchTest {

    private final PrintedRun bench = new PrintedRun(TrainerBench::run);

    @Test
    void withoutBootstrapServersTheKafkaFedRowIsMeasuredOnABrokerTheBenchStartsAndStops(@TempDir Path dir) {
        int exit = bench.run("--seconds", "1", "--warmup-steps", "1", "--batch", "8", "--threads", "1", "--dcgan64-width", "8",
                "--skip-pytorch", "--data", dir.resolve("no-fashion-mnist-here").toString());

        String printed = bench.out();
        String logged = bench.log();
        assertThat(printed).as(logged).containsPattern("\\| trainer, Kafka-fed \\| [0-9]+\\.[0-9] \\|")
                .containsPattern("ratio " + TrainerBench.RATIO_KAFKA + " [0-9]+\\.[0-9]{3}")
                .containsPattern("\\| trainer, memory, DiffAugment \\| [0-9]+\\.[0-9] \\|")
                .containsPattern("ratio " + TrainerBench.RATIO_AUGMENT_DCGAN28 + " [0-9]+\\.[0-9]{3}")
                .containsPattern("ratio " + TrainerBench.RATIO_AUGMENT_DCGAN64 + " [0-9]+\\.[0-9]{3}");
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
        assertThat(bench.run("--kafka-config", dir.resolve("client.properties").toString())).isEqualTo(2);

        assertThat(bench.log()).contains("add --bootstrap-servers").contains("drop --kafka-config");
    }
}
