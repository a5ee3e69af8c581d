package dev.ganpipe.bench.endurance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VariedImagesTest {

    @Test
    void everyVariantOfAnImageHasOtherPixelsAndTheRestIsUntouched() {
        byte[] base = new byte[28 * 28];
        base[100] = 77;
        Set<String> seen = new HashSet<>();
        for (int v = 0; v < 300; v++) {
            byte[] varied = VariedImages.vary(base, v);
            assertThat(varied[100]).isEqualTo((byte) 77);
            assertThat(seen.add(java.util.Arrays.toString(varied))).as("variant %d is new", v).isTrue();
        }
        assertThat(base[0]).as("the original is not changed").isZero();
    }

    @Test
    void variantsBeyondThreeBytesAreRefused() {
        assertThatThrownBy(() -> VariedImages.vary(new byte[784], 1 << 24)).hasMessageContaining("fewer images");
    }

    @Test
    void partsAreCheckedByName() {
        assertThat(EnduranceBench.parseParts("ingest, generator")).containsExactly("ingest", "generator");
        assertThatThrownBy(() -> EnduranceBench.parseParts("generator,memory")).hasMessageContaining("'memory'");
    }
}
