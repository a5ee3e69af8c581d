package dev.ganpipe.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ganpipe.common.config.ConfigException;
import dev.ganpipe.common.config.ConfigValues;
import dev.ganpipe.generator.onnx.OrtSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GeneratorConfigTest {

    /** Parses with {@code --allow-unsigned-models}, which every config needs without a verify key (tested below). */
    private static GeneratorConfig parse(Map<String, String> env, String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.add("--allow-unsigned-models");
        return GeneratorConfig.from(ConfigValues.parse(GeneratorConfig.spec(), all, env));
    }

    @Test
    void withoutTheTrainersPublicKeyTheOperatorMustOptInToUnsignedModels() {
        assertThatThrownBy(() -> GeneratorConfig.from(ConfigValues.parse(GeneratorConfig.spec(), List.of(), Map.of())))
                .isInstanceOf(dev.ganpipe.common.config.ConfigException.class)
                .hasMessageContaining("--model-verify-key").hasMessageContaining("--allow-unsigned-models");
        assertThat(parse(Map.of()).trust().allowUnsigned()).isTrue();
        assertThat(parse(Map.of()).trust().maxVersionJump()).isEqualTo(1000);
    }

    @Test
    void theDefaultsAreTheOnesDesignMdDocuments() {
        GeneratorConfig c = parse(Map.of());

        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.host()).isEqualTo("0.0.0.0");
        assertThat(c.modelsFromTopic()).isTrue();
        assertThat(c.modelsDir()).isEmpty();
        assertThat(c.topics().modelsGenerator()).isEqualTo("models.generator");
        assertThat(c.kafka().bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(c.api().maxCount()).isEqualTo(1024);
        assertThat(c.maxBatch()).isEqualTo(256);
        assertThat(c.maxWait()).isEqualTo(Duration.ofMillis(2));
        assertThat(c.ort().provider()).isEqualTo(OrtSettings.Provider.AUTO);
        assertThat(c.api().adminKey()).isEmpty();
        assertThat(c.api().apiKey()).isEmpty();
        assertThat(c.requestsStream()).isTrue();
        assertThat(c.requestsAppId()).isEqualTo("gan-generator-requests");
        assertThat(c.continuous().enabled()).as("continuous mode is off by default").isFalse();
        assertThat(c.continuous().labels()).as("every class in turn").isEmpty();
        assertThat(c.modelName()).as("no default model: the only one served is it").isEmpty();
        assertThat(c.maxModels()).isEqualTo(8);
        assertThat(c.onlyModels()).as("every name found is served").isEmpty();
        assertThat(c.keepVersions()).isEqualTo(3);
    }

    @Test
    void continuousModeTakesARateAStartSeedAndALabelMix() {
        GeneratorConfig c = parse(Map.of("GAN_CONTINUOUS_RATE", "2.5"), "--continuous-seed", "100", "--continuous-labels", "0, 0,3",
                "--requests-stream", "false");

        assertThat(c.continuous().rate()).isEqualTo(2.5);
        assertThat(c.continuous().startSeed()).isEqualTo(100);
        assertThat(c.continuous().labels()).containsExactly(0, 0, 3);
        assertThat(c.requestsStream()).isFalse();
        assertThatThrownBy(() -> parse(Map.of(), "--continuous-rate", "-1"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--continuous-rate");
        assertThatThrownBy(() -> parse(Map.of(), "--continuous-labels", "0,shoes"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'shoes'").hasMessageContaining("--continuous-labels");
        assertThatThrownBy(() -> parse(Map.of(), "--continuous-labels", "-2"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--continuous-labels");
    }

    @Test
    void aKeyOverPlainHttpIsRefusedUnlessTheOperatorOptsIn() {
        assertThatThrownBy(() -> parse(Map.of(), "--api-key", "k"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("plain HTTP").hasMessageContaining("--tls-keystore").hasMessageContaining("--allow-keys-over-plain-http");
        assertThat(parse(Map.of(), "--api-key", "k", "--allow-keys-over-plain-http").api().apiKey()).hasValue("k");
        assertThat(parse(Map.of()).http().tls()).as("no key, no TLS: plain HTTP is fine").isEmpty();
    }

    @Test
    void flagsWinOverEnvironmentVariables() {
        GeneratorConfig c = parse(Map.of("GAN_MAX_BATCH", "32", "GAN_ADMIN_KEY", "k", "GAN_ALLOW_KEYS_OVER_PLAIN_HTTP", "true"), "--max-batch", "64",
                "--models-dir", "/tmp/m",
                "--ort-provider", "cpu", "--ort-threads", "2", "--max-wait", "5ms");

        assertThat(c.maxBatch()).isEqualTo(64);
        assertThat(c.api().adminKey()).hasValue("k");
        assertThat(c.modelsDir()).hasValue(Path.of("/tmp/m"));
        assertThat(c.ort()).isEqualTo(new OrtSettings(OrtSettings.Provider.CPU, 2, OrtSettings.parseOptimization("all"), OrtSettings.SpinWait.OFF));
        assertThat(c.maxWait()).isEqualTo(Duration.ofMillis(5));
    }

    @Test
    void badValuesFailWithTheOptionToFix() {
        assertThatThrownBy(() -> parse(Map.of(), "--ort-spin-wait", "sometimes")).hasMessageContaining("--ort-spin-wait must be off, pass or always");
        assertThat(parse(Map.of(), "--ort-spin-wait", "true").ort().spinWait()).as("the old boolean still parses").isEqualTo(OrtSettings.SpinWait.ALWAYS);
        assertThat(parse(Map.of(), "--ort-spin-wait", "pass").ort().spinWait()).isEqualTo(OrtSettings.SpinWait.DURING_PASS);
        assertThatThrownBy(() -> parse(Map.of(), "--models-from-topic", "false"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--models-dir");
        assertThatThrownBy(() -> parse(Map.of(), "--ort-provider", "tpu"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--ort-provider");
        assertThatThrownBy(() -> parse(Map.of(), "--max-count", "0"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--max-count");
        assertThatThrownBy(() -> parse(Map.of(), "--max-models", "0"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--max-models");
        assertThatThrownBy(() -> parse(Map.of(), "--models", "a,b,c", "--max-models", "2"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--max-models");
        assertThatThrownBy(() -> parse(Map.of(), "--models", "a,b", "--model-name", "c"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--model-name c").hasMessageContaining("a, b");
        assertThatThrownBy(() -> parse(Map.of(), "--max-batch", "many"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--max-batch");
        // The largest request must fit with one forward pass of room left, else it would get 503 forever.
        assertThatThrownBy(() -> parse(Map.of(), "--max-queued-images", "1200"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--max-queued-images").hasMessageContaining("1024");
    }

    @Test
    void modelsListsTheNamesToServeSkippingBlanksAndRepeats() {
        assertThat(parse(Map.of(), "--models", " fashion-dcgan28, cifar-dcgan32,,fashion-dcgan28", "--model-name", "cifar-dcgan32").onlyModels())
                .containsExactly("fashion-dcgan28", "cifar-dcgan32");
    }

    @Test
    void helpListsEveryKnob() {
        String help = GeneratorConfig.spec().helpText();

        for (String flag : List.of("--port", "--models-dir", "--models-from-topic", "--model-name", "--models", "--max-models", "--max-count", "--max-queued-images", "--max-batch",
                "--max-wait", "--ort-threads", "--ort-provider", "--admin-key", "--api-key", "--bootstrap-servers", "--topic-models",
                "--requests-stream", "--requests-app-id", "--continuous-rate", "--continuous-seed", "--continuous-labels")) {
            assertThat(help).contains(flag);
        }
    }
}
