package dev.ganpipe.images.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ClassListTest {

    private final ClassList fashion = ClassList.fashionMnist();

    @Test
    void indicesInRangeResolveToThemselves() {
        assertThat(fashion.resolve("0")).isEqualTo(OptionalInt.of(0));
        assertThat(fashion.resolve(" 9 ")).isEqualTo(OptionalInt.of(9));
    }

    @Test
    void namesResolveIgnoringCaseAndPunctuation() {
        assertThat(fashion.resolve("Sneaker")).isEqualTo(OptionalInt.of(7));
        assertThat(fashion.resolve("t-shirt_top")).isEqualTo(OptionalInt.of(0));
        assertThat(fashion.resolve("ANKLE BOOT")).isEqualTo(OptionalInt.of(9));
    }

    @Test
    void anythingElseDoesNotResolve() {
        assertThat(fashion.resolve("10")).isEmpty();
        assertThat(fashion.resolve("-1")).isEmpty();
        assertThat(fashion.resolve("cat")).isEmpty();
        assertThat(fashion.resolve("")).isEmpty();
        assertThat(fashion.resolve("99999999999999")).isEmpty();
    }

    @Test
    void wireFormIsTheIndexOrTheUnknownNameUnchanged() {
        assertThat(fashion.toWire("Bag")).isEqualTo("8");
        assertThat(fashion.toWire("cats")).isEqualTo("cats");
    }

    @Test
    void classesThatCannotBeToldApartAreRefused() {
        assertThatThrownBy(() -> ClassList.parse("cat,Cat!")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be told apart");
    }
}
