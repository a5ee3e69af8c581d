package dev.ganpipe.ingest.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ganpipe.common.kafka.CloudEvents;
import dev.ganpipe.common.kafka.GanHeaders;
import dev.ganpipe.common.kafka.TopicCatalog;
import org.junit.jupiter.api.Test;

class RawImageProducerExampleTest {

    @Test
    void theExampleUsesThePipelinesTopicAndHeaderNames() {
        assertThat(RawImageProducerExample.TOPIC).isEqualTo(TopicCatalog.DEFAULT_IMAGES_RAW);
        assertThat(RawImageProducerExample.headerNames()).containsExactly(GanHeaders.LABEL, GanHeaders.CONTENT_TYPE,
                CloudEvents.SPECVERSION, CloudEvents.ID, CloudEvents.SOURCE, CloudEvents.TYPE);
    }

    @Test
    void theProducerIsIdempotentWithAcksAll() {
        var props = RawImageProducerExample.producerConfig("localhost:9092");
        assertThat(props).containsEntry("enable.idempotence", "true").containsEntry("acks", "all");
    }
}
