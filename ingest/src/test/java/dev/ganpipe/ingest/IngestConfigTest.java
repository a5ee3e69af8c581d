package dev.ganpipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ganpipe.common.config.ConfigException;
import dev.ganpipe.common.config.Setting;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.images.normalize.Background;
import dev.ganpipe.images.normalize.ClassList;
import dev.ganpipe.ingest.publish.ProgressMode;
import dev.ganpipe.ingest.stream.DedupSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IngestConfigTest {

    @Test
    void theDefaultsAreTheOnesDesignMdDocuments() {
        IngestConfig config = IngestConfig.parse(List.of(), Map.of());
        assertThat(config.port()).isEqualTo(8081);
        assertThat(config.kafka().bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(config.topics().imagesRaw()).isEqualTo("images.raw");
        assertThat(config.normalizer().shape()).isEqualTo(ImageShape.FASHION_MNIST);
        assertThat(config.normalizer().classes()).isEqualTo(ClassList.fashionMnist());
        assertThat(config.normalizer().maxBytes()).isEqualTo(10 * 1024 * 1024);
        assertThat(config.normalizer().maxPixels()).isEqualTo(40_000_000L);
        assertThat(config.normalizer().background()).isEqualTo(Background.BLACK);
        assertThat(config.applicationId()).isEqualTo("gan-ingest");
        assertThat(config.createTopics()).isTrue();
        assertThat(config.publish().dryRun()).isFalse();
        assertThat(config.publish().limit()).isEmpty();
        assertThat(config.serve()).isFalse();
        assertThat(config.stateDir()).isEmpty();
        assertThat(config.dedup().enabled()).as("the duplicate filter is opt-in").isFalse();
        assertThat(config.dedup().window()).isEqualTo(Duration.ofHours(24));
        assertThat(config.publish().progress()).isEqualTo(ProgressMode.AUTO);
        assertThat(config.uploadPolicy().maxParts()).isEqualTo(256);
        assertThat(config.uploadPolicy().maxUploadBytes()).isEqualTo(16 * 1024 * 1024);
    }

    @Test
    void dedupProgressAndMultipartLimitsAreConfigurable() {
        IngestConfig config = IngestConfig.parse(List.of("--dedup", "--dedup-window", "6h", "--progress", "lines",
                "--max-upload-parts", "8", "--max-upload-bytes", "65536"), Map.of());
        assertThat(config.dedup()).isEqualTo(new DedupSettings(true, Duration.ofHours(6)));
        assertThat(config.publish().progress()).isEqualTo(ProgressMode.LINES);
        assertThat(config.uploadPolicy().maxParts()).isEqualTo(8);
        assertThat(config.uploadPolicy().maxUploadBytes()).isEqualTo(65536);
        assertThat(IngestConfig.parse(List.of("--dedup", "false"), Map.of()).dedup().enabled()).isFalse();
        assertThat(IngestConfig.parse(List.of(), Map.of("GAN_DEDUP", "true")).dedup().enabled()).isTrue();
    }

    @Test
    void flagsWinOverEnvironmentVariablesAndSwitchesNeedNoValue() {
        IngestConfig config = IngestConfig.parse(
                List.of("--image-shape", "64x64x3", "--classes", "cat,dog", "--background=#ffffff", "--limit", "5", "--rate", "2.5",
                        "--dry-run", "--serve", "--port", "9000", "--state-dir", "/tmp/x", "--send-timeout", "2s"),
                Map.of("GAN_PORT", "7000", "GAN_MAX_PIXELS", "1000000", "GAN_KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_SSL"));
        assertThat(config.port()).isEqualTo(9000);
        assertThat(config.normalizer().maxPixels()).isEqualTo(1_000_000L);
        assertThat(config.normalizer().shape()).isEqualTo(new ImageShape(64, 64, 3));
        assertThat(config.normalizer().classes().names()).containsExactly("cat", "dog");
        assertThat(config.normalizer().background()).isEqualTo(Background.WHITE);
        assertThat(config.publish().limit()).hasValue(5);
        assertThat(config.publish().rate()).hasValue(2.5);
        assertThat(config.publish().dryRun()).isTrue();
        assertThat(config.serve()).isTrue();
        assertThat(config.stateDir()).contains(Path.of("/tmp/x"));
        assertThat(config.sendTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.kafka().clientProperties()).containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void aSwitchFollowedByAPathStillTreatsThePathAsAPath() {
        var values = IngestConfig.values(List.of("--dry-run", "data/images", "--serve", "false"), Map.of());
        assertThat(values.positional()).containsExactly("data/images");
        assertThat(IngestConfig.from(values, Map.of()).serve()).isFalse();
    }

    /** Each malformed value fails with a message naming its flag, and with the hint where the table gives one. */
    @ParameterizedTest(name = "--{0} {1}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            image-shape      | 28x28 | WIDTHxHEIGHTxCHANNELS
            background       | pink  | -
            rate             | 0     | -
            max-bytes        | lots  | -
            progress         | fancy | --progress must be auto, bar, lines or off
            dedup-window     | 0s    | -
            max-upload-parts | 0     | -
            """)
    void malformedValuesNameTheFlagToFix(String flag, String value, String hint) {
        assertThatThrownBy(() -> IngestConfig.parse(List.of("--" + flag, value), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--" + flag)
                .hasMessageContaining(hint == null ? "--" + flag : hint);
    }

    @Test
    void helpListsEveryKnobWithItsVariable() {
        String help = IngestConfig.spec().helpText();
        for (Setting setting : IngestConfig.spec().settings()) {
            assertThat(help).contains(setting.flag()).contains(setting.envVar());
        }
        assertThat(help).contains("gan ingest [--serve] [PATH...]").contains("sample:fashion-mnist");
    }
}
