package dev.ganpipe.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ProgressModeTest {

    @Test
    void autoIsABarOnATerminalAndLinesInALog() {
        assertThat(ProgressMode.AUTO.resolve(OptionalInt.of(80))).isEqualTo(ProgressMode.BAR);
        assertThat(ProgressMode.AUTO.resolve(OptionalInt.empty())).isEqualTo(ProgressMode.LINES);
    }

    @Test
    void anExplicitModeStaysWhateverStderrIs() {
        assertThat(ProgressMode.BAR.resolve(OptionalInt.empty())).isEqualTo(ProgressMode.BAR);
        assertThat(ProgressMode.OFF.resolve(OptionalInt.of(80))).isEqualTo(ProgressMode.OFF);
        assertThat(ProgressMode.LINES.resolve(OptionalInt.of(80))).isEqualTo(ProgressMode.LINES);
    }

    @Test
    void parsingIgnoresCaseAndNamesTheChoicesWhenWrong() {
        assertThat(ProgressMode.parse(" Lines ")).isEqualTo(ProgressMode.LINES);
        assertThatThrownBy(() -> ProgressMode.parse("spinner")).hasMessage("--progress must be auto, bar, lines or off, but was 'spinner'.");
    }

    @Test
    void probingARedirectedStderrFindsNoTerminal() {
        // Surefire redirects the test JVM's output, so this is the CI and log-file case.
        assertThat(TerminalProbe.stderrColumns()).isEmpty();
    }
}
