package dev.ganpipe.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The request JSON as DESIGN.md writes it; that the generator takes it is JavaClientTest's (clients/it) to show. */
class SyntheticRequestTest {

    @Test
    void writesCountAndOnlyTheOptionalFieldsThatAreSet() {
        assertThat(SyntheticRequest.of(64).toJson()).isEqualTo("{\"count\":64}");
        assertThat(SyntheticRequest.of(64).withSeed(7).withLabel(3).toJson()).isEqualTo("{\"count\":64,\"seed\":7,\"label\":3}");
        assertThat(new SyntheticRequestSerializer().serialize("synthetic.requests", SyntheticRequest.of(2).withLabel(0)))
                .isEqualTo("{\"count\":2,\"label\":0}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void namesTheModelAsAJsonStringEvenWithCharactersJsonMustEscape() {
        assertThat(SyntheticRequest.of(2).withModel("cifar-dcgan32").toJson()).isEqualTo("{\"count\":2,\"model\":\"cifar-dcgan32\"}");
        String odd = "a\"b\\c\n";
        assertThat(JsonReader.parse(SyntheticRequest.of(1).withModel(odd).toJson())).isEqualTo(java.util.Map.of("count", 1L, "model", odd));
        assertThatThrownBy(() -> SyntheticRequest.of(1).withModel(" ")).hasMessageContaining("default model");
    }

    @Test
    void refusesARequestTheGeneratorWouldDeadLetter() {
        assertThatThrownBy(() -> SyntheticRequest.of(0)).hasMessageContaining("at least 1 image");
        assertThatThrownBy(() -> SyntheticRequest.of(1).withLabel(-1)).hasMessageContaining("0 or more");
    }
}
