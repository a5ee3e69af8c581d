package dev.ganpipe.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    private static final int USAGE = 3;

    private final ConfigSpec spec = new ConfigSpec("gan test", "A test command.")
            .add("port", "8080", "Port.")
            .optional("name", "A name.");
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private <T> CommandLine.Parsed<T> parse(CommandLine commandLine, List<String> args, Function<ConfigValues, T> build) {
        return commandLine.parse(args, Map.of("GAN_NAME", "from-env"), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), build);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void givesTheValuesAndWhatWasBuiltFromThemAndPrintsNothing() {
        CommandLine.Parsed<Integer> parsed = parse(CommandLine.of(spec, "gan test", USAGE), List.of("--port", "9000", "extra"),
                v -> v.integer("port"));

        assertThat(parsed.done()).isFalse();
        assertThat(parsed.value()).isEqualTo(9000);
        assertThat(parsed.values().string("name")).isEqualTo("from-env");
        assertThat(parsed.values().positional()).containsExactly("extra");
        assertThatThrownBy(parsed::exitCode).isInstanceOf(IllegalStateException.class).hasMessageContaining("check done()");
        assertThat(out()).isEmpty();
        assertThat(err()).isEmpty();
    }

    @Test
    void helpGoesToStandardOutputWithExitCodeZeroAndNothingIsBuilt() {
        CommandLine.Parsed<Integer> parsed = parse(CommandLine.of(spec, "gan test", USAGE), List.of("--port", "1", "--help"), v -> {
            throw new AssertionError("built although --help was given");
        });

        assertThat(parsed.done()).isTrue();
        assertThat(parsed.exitCode()).isEqualTo(CommandLine.HELP_EXIT).isZero();
        assertThat(out()).isEqualTo(spec.helpText());
        assertThat(err()).isEmpty();
        assertThatThrownBy(parsed::value).isInstanceOf(IllegalStateException.class).hasMessageContaining("check done() first");
        assertThatThrownBy(parsed::values).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anUnknownOptionIsOneLineOnStandardErrorWithTheNameAndTheUsageExitCode() {
        CommandLine.Parsed<Integer> parsed = parse(CommandLine.of(spec, "gan test", USAGE), List.of("--nope", "1"), v -> 1);

        assertThat(parsed.done()).isTrue();
        assertThat(parsed.exitCode()).isEqualTo(USAGE);
        assertThat(err()).isEqualTo("gan test: Unknown option --nope for 'gan test'; run it with --help to list the options."
                + System.lineSeparator());
        assertThat(out()).isEmpty();
    }

    @Test
    void aConfigExceptionFromBuildingIsReportedTheSameWay() {
        CommandLine.Parsed<Integer> parsed = parse(CommandLine.of(spec, "gan", USAGE), List.of("--port", "abc"), v -> v.integer("port"));

        assertThat(parsed.exitCode()).isEqualTo(USAGE);
        assertThat(err()).startsWith("gan: Option --port (GAN_PORT) must be an integer").endsWith(System.lineSeparator());
        assertThat(err().lines()).hasSize(1);
        assertThat(out()).isEmpty();
    }

    @Test
    void anIllegalArgumentEndsTheCommandUnlessItCountsAsAUsageError() {
        Function<ConfigValues, Integer> refuses = v -> {
            throw new IllegalArgumentException("Port 1 is reserved; choose one above 1023.");
        };

        assertThatThrownBy(() -> parse(CommandLine.of(spec, "gan test", USAGE), List.of(), refuses))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Port 1 is reserved; choose one above 1023.");
        assertThat(err()).isEmpty();

        CommandLine.Parsed<Integer> parsed = parse(CommandLine.of(spec, "gan test", USAGE).withIllegalArgumentsAsUsageErrors(), List.of(),
                refuses);
        assertThat(parsed.exitCode()).isEqualTo(USAGE);
        assertThat(err()).isEqualTo("gan test: Port 1 is reserved; choose one above 1023." + System.lineSeparator());
        assertThat(out()).isEmpty();
    }

    @Test
    void aHintFollowsTheErrorOnItsOwnLine() {
        CommandLine commandLine = CommandLine.of(spec, "gan test", USAGE).withHint("Run 'gan test --help' for the options.")
                .withIllegalArgumentsAsUsageErrors();

        CommandLine.Parsed<Integer> parsed = parse(commandLine, List.of("--name"), v -> 1);

        assertThat(parsed.exitCode()).isEqualTo(USAGE);
        assertThat(err().lines()).containsExactly("gan test: Option --name needs a value; run with --help for an example.",
                "Run 'gan test --help' for the options.");
        assertThat(out()).isEmpty();
    }
}
