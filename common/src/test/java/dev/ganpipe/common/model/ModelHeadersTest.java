package dev.ganpipe.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ganpipe.common.kafka.GanHeaders;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** Model headers round-trip, and every malformed header is an IllegalArgumentException readers can catch. */
class ModelHeadersTest {

    private static final ModelManifest MANIFEST = new ModelManifest("fashion-dcgan28", 3, "ab".repeat(32), 120,
            Instant.parse("2026-01-01T00:00:00Z"), "28x28x1", 100, Map.of("loss_g", 1.5));

    @Test
    void aManifestRoundTripsThroughTheHeaders() {
        Headers headers = new RecordHeaders();
        ModelHeaders.write(MANIFEST, headers);
        assertThat(ModelHeaders.read("fashion-dcgan28", headers)).isEqualTo(MANIFEST);
    }

    @Test
    void aMalformedCreationTimeIsAnIllegalArgumentNamingTheHeader() {
        Headers headers = new RecordHeaders();
        ModelHeaders.write(MANIFEST, headers);
        GanHeaders.set(headers, "gan.model.created", "yesterday");
        assertThatThrownBy(() -> ModelHeaders.read("fashion-dcgan28", headers))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gan.model.created").hasMessageContaining("yesterday");
    }
}
