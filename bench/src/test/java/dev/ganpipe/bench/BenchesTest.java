package dev.ganpipe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BenchesTest {

    private final PrintedRun gan = new PrintedRun(Benches::run);

    @Test
    void anUnknownBenchIsAUsageErrorThatListsEveryBench() {
        assertThat(gan.run("trainr")).isEqualTo(2);

        assertThat(gan.log()).contains("./gan bench <trainer|generator|ingest|quality|step-parity|endurance|chaos> [options]");
    }

    @Test
    void theNamedBenchGetsTheRestOfTheArguments() {
        assertThat(gan.run("ingest", "--help")).isZero();

        assertThat(gan.out()).contains("--trainer-demand");
    }
}
