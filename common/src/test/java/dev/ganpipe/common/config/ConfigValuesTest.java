package dev.ganpipe.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigValuesTest {

    private final ConfigSpec spec = new ConfigSpec("gan test", "A test command.")
            .add("port", "8080", "Port.")
            .add("every", "30s", "Interval.")
            .optional("name", "A name.")
            .flag("keep", "Keep things.");

    @Test
    void flagsWinOverEnvironmentWhichWinsOverDefaults() {
        ConfigValues v = ConfigValues.parse(spec, List.of("--port", "9000"), Map.of("GAN_PORT", "7000", "GAN_NAME", "x"));
        assertThat(v.integer("port")).isEqualTo(9000);
        assertThat(v.string("name")).isEqualTo("x");
        assertThat(v.duration("every")).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void switchesMayBeGivenBareOrWithAValue() {
        assertThat(ConfigValues.parse(spec, List.of("--keep", "--port=1"), Map.of()).bool("keep")).isTrue();
        assertThat(ConfigValues.parse(spec, List.of("--keep", "false"), Map.of()).bool("keep")).isFalse();
        assertThat(ConfigValues.parse(spec, List.of("--keep", "some/path"), Map.of()).positional()).containsExactly("some/path");
        assertThat(ConfigValues.parse(spec, List.of(), Map.of()).bool("keep")).isFalse();
        assertThat(spec.helpText()).contains("--keep ").doesNotContain("--keep <value>").contains("--port <value>", "GAN_PORT");
    }

    private enum Mode { FAST, CAREFUL, OFF }

    @Test
    void aChoiceNamesAConstantInAnyCaseAndAWrongOneListsThemAll() {
        assertThat(ConfigValues.parse(spec, List.of("--name", " Careful "), Map.of()).choice("name", Mode.class)).isEqualTo(Mode.CAREFUL);
        assertThatThrownBy(() -> ConfigValues.parse(spec, List.of("--name", "slow"), Map.of()).choice("name", Mode.class))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Option --name (GAN_NAME) must be 'fast', 'careful' or 'off', but was 'slow'.");
    }

    @Test
    void errorsNameTheFlagAndTheVariable() {
        assertThatThrownBy(() -> ConfigValues.parse(spec, List.of("--nope", "1"), Map.of()))
                .hasMessageContaining("Unknown option --nope").hasMessageContaining("--help");
        assertThatThrownBy(() -> ConfigValues.parse(spec, List.of("--port", "abc"), Map.of()).integer("port"))
                .hasMessageContaining("--port").hasMessageContaining("GAN_PORT").hasMessageContaining("'abc'");
        assertThatThrownBy(() -> ConfigValues.parse(spec, List.of(), Map.of()).string("name"))
                .hasMessageContaining("Missing required option --name");
        assertThatThrownBy(() -> ConfigValues.parse(spec, List.of("--every", "soon"), Map.of()).duration("every"))
                .hasMessageContaining("duration");
    }
}
