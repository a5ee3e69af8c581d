package dev.ganpipe.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ganpipe.common.config.ConfigValues;
import dev.ganpipe.common.config.KafkaOptions;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {

    /**
     * Streams warns about a false {@code processing.exception.handler.global.enabled} wherever it builds a
     * StreamsConfig: from the app's properties, and in the partition assignor from the main consumer's configs. Both
     * must read true, or every Streams app logs the warning at start-up.
     */
    @Test
    void streamsAppsEnableTheGlobalProcessingExceptionHandlerAlsoWhereTheAssignorReadsIt() {
        StreamsConfig app = new StreamsConfig(KafkaSettings.of("localhost:9092").streams("app"));
        Map<String, Object> mainConsumer = app.getMainConsumerConfigs("app", "app-client", 0);
        StreamsConfig assignorView = new StreamsConfig(mainConsumer);

        assertThat(app.getBoolean(KafkaSettings.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED)).isTrue();
        assertThat(assignorView.getBoolean(KafkaSettings.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED)).isTrue();
    }

    @Test
    void clientPropertiesReachEveryClientAndStreamsApp() {
        KafkaSettings settings = new KafkaSettings("broker:9093", Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512"));

        assertThat(settings.producer("p")).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        assertThat(settings.consumer("c", "g")).containsEntry("security.protocol", "SASL_SSL");
        assertThat(settings.groupless("c")).containsEntry("security.protocol", "SASL_SSL");
        assertThat(settings.admin("a")).containsEntry("security.protocol", "SASL_SSL");
        StreamsConfig streams = new StreamsConfig(settings.streams("app"));
        assertThat(streams.getMainConsumerConfigs("app", "x", 0)).containsEntry("security.protocol", "SASL_SSL");
        assertThat(streams.getProducerConfigs("x")).containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        assertThat(streams.getAdminConfigs("x")).containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void clientIdsAreTheRoleAndTheInstanceSoARestartKeepsThem() {
        ConfigValues values = ConfigValues.parse(KafkaOptions.spec(), List.of(), Map.of("GAN_INSTANCE", "trainer-0"));
        KafkaSettings settings = KafkaOptions.kafka(values, Map.of());
        KafkaSettings restarted = KafkaOptions.kafka(ConfigValues.parse(KafkaOptions.spec(), "--instance", "trainer-0"), Map.of());

        assertThat(settings.clientId("gan-trainer-feed")).isEqualTo("gan-trainer-feed-trainer-0")
                .isEqualTo(restarted.clientId("gan-trainer-feed"));
        assertThat(new StreamsConfig(settings.streams("gan-ingest")).getString(StreamsConfig.CLIENT_ID_CONFIG))
                .isEqualTo("gan-ingest-trainer-0");
    }

    @Test
    void withoutAnInstanceNameClientIdsEndInTheHostName() {
        KafkaSettings settings = KafkaOptions.kafka(ConfigValues.parse(KafkaOptions.spec()), Map.of());

        assertThat(settings.instance()).isEqualTo(ClientInstance.hostName()).isNotBlank();
        assertThat(settings.clientId("gan-generator-models")).isEqualTo("gan-generator-models-" + ClientInstance.hostName());
    }

    @Test
    void anInstanceNameThatWouldGarbleMetricLabelsIsRefusedWithWhatToSetInstead() {
        assertThatThrownBy(() -> KafkaSettings.of("localhost:9092").withInstance("a b/c"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("set --instance");
    }
}
