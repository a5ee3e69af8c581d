package dev.ganpipe.bench.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ganpipe.bench.PrintedRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The benchmark's plumbing (it is never run by the tests: its figures depend on the machine). */
class IngestBenchTest {

    @Test
    void theTrainerDemandDefaultsToBatchTimesStepRateTimesTheFreshShare() {
        IngestBenchConfig config = IngestBenchConfig.from(IngestBenchConfig.values(List.of(), Map.of()));
        assertThat(config.trainerDemand()).isEqualTo(112.0);
        assertThat(config.data()).isEqualTo(Path.of("../shared/datasets/fashion-mnist"));
        assertThat(config.seconds()).isEqualTo(10);
        assertThat(config.rounds()).isEqualTo(3);
    }

    @Test
    void theProducerToolsSummaryLineIsReadNotItsWindowLines() {
        String output = """
                5012 records sent, 1002.2 records/sec (0.86 MB/sec), 12.1 ms avg latency, 40.0 ms max latency.
                20000 records sent, 9803.921569 records/sec (8.42 MB/sec), 8.10 ms avg latency, 41.00 ms max latency, 7 ms 50th, 15 ms 95th, 20 ms 99th, 40 ms 99.9th.
                """;
        ProducerPerfRun.Result result = ProducerPerfRun.parse(output);
        assertThat(result.records()).isEqualTo(20000);
        assertThat(result.recordsPerSecond()).isEqualTo(9803.921569);
        assertThatThrownBy(() -> ProducerPerfRun.parse("Exception in thread main")).hasMessageContaining("printed no summary line");
    }

    @Test
    void theReportNamesTheMachineAndEndsWithExactlyTheTwoRatioLines() {
        IngestBenchConfig config = new IngestBenchConfig(Path.of("data"), 5, 3, 112, 3, 1, Optional.empty());
        List<IngestMeasurement> rows = List.of(
                IngestMeasurement.of("perf", 10_000, Duration.ofSeconds(1), 880, "tool"),
                IngestMeasurement.of("cli", 8_500, Duration.ofSeconds(1), 880, "ours"),
                IngestMeasurement.of("normaliser", 560, Duration.ofSeconds(1), 880, "stream"),
                new IngestMeasurement("trainer demand", 0, Duration.ZERO, 112, 880, "input"));
        List<String> lines = IngestBench.report(new Machine(2, "AMD EPYC", "OpenJDK 25", "Linux amd64", 1.5), config, "data", 880, rows,
                List.of("a note"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("2 cores, AMD EPYC").contains("load average 1.5"));
        assertThat(lines.subList(lines.size() - 2, lines.size()))
                .containsExactly("ratio ingest_vs_producer_perf 0.850", "ratio normaliser_vs_trainer_demand 5.00");
    }

    @Test
    void theMedianRunIsReportedWithTheSpread() {
        IngestMeasurement m = IngestBench.median(List.of(IngestMeasurement.of("x", 300, Duration.ofSeconds(1), 1, "n"),
                IngestMeasurement.of("x", 100, Duration.ofSeconds(1), 1, "n"), IngestMeasurement.of("x", 200, Duration.ofSeconds(1), 1, "n")));
        assertThat(m.recordsPerSecond()).isEqualTo(200);
        assertThat(m.note()).endsWith("median of 3 runs (100..300)");
    }

    @Test
    void helpAndBadOptionsAnswerWithoutStartingABroker() {
        PrintedRun bench = new PrintedRun(IngestBench::run);
        assertThat(bench.run("--help")).isZero();
        assertThat(bench.out()).contains("--trainer-demand").contains("--seconds").contains("--data");
        assertThat(bench.run("--seconds", "0")).isEqualTo(2);
        assertThat(bench.log()).contains("--seconds must be at least 1");
    }
}
