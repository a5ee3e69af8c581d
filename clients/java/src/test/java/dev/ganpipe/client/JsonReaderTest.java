package dev.ganpipe.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReaderTest {

    @Test
    void readsTheShapesOfTheGeneratorsAnswers() {
        Map<?, ?> json = (Map<?, ?>) JsonReader.parse(" {\"live\":1,\"pinned\":null,\"models\":[{\"name\":\"a\\\"b\\u00e9\",\"active\":true,"
                + "\"metrics\":{\"d_loss\":0.5,\"fid\":\"NaN\",\"big\":-1.5e3}}]} ");

        assertThat(json.get("live")).isEqualTo(1L);
        assertThat(json.containsKey("pinned")).isTrue();
        assertThat(json.get("pinned")).isNull();
        assertThat(json.get("models")).isEqualTo(List.of(Map.of("name", "a\"bé", "active", true,
                "metrics", Map.of("d_loss", 0.5, "fid", "NaN", "big", -1500.0))));
    }

    @Test
    void refusesTextThatIsNotOneJsonValueSayingWhere() {
        assertThatThrownBy(() -> JsonReader.parse("{\"a\":1} x")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("character 8");
        assertThatThrownBy(() -> JsonReader.parse("{\"a\":")).hasMessageContaining("end of the text");
        assertThatThrownBy(() -> JsonReader.parse("[1,]")).hasMessageContaining("']'");
        assertThatThrownBy(() -> JsonReader.parse("\"open")).hasMessageContaining("closing quote");
    }
}
