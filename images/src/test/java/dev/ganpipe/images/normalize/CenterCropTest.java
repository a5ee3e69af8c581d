package dev.ganpipe.images.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CenterCropTest {

    @Test
    void aWideImageLosesItsLeftAndRightEdges() {
        assertThat(CenterCrop.of(100, 50, 28, 28)).isEqualTo(new CenterCrop(25, 0, 50, 50));
    }

    @Test
    void aTallImageLosesItsTopAndBottom() {
        assertThat(CenterCrop.of(50, 101, 28, 28)).isEqualTo(new CenterCrop(0, 25, 50, 50));
    }

    @Test
    void anImageOfTheTargetAspectIsKeptWhole() {
        assertThat(CenterCrop.of(640, 480, 64, 48)).isEqualTo(new CenterCrop(0, 0, 640, 480));
    }

    @Test
    void aNonSquareTargetKeepsItsAspectRatio() {
        assertThat(CenterCrop.of(300, 300, 64, 32)).isEqualTo(new CenterCrop(0, 75, 300, 150));
    }
}
