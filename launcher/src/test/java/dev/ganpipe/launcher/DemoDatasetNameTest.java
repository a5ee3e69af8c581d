package dev.ganpipe.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ganpipe.images.source.SampleData;
import org.junit.jupiter.api.Test;

/** {@code gan demo} names its models after the data it trains on, so models of two data sets keep apart. */
class DemoDatasetNameTest {

    @Test
    void theModelNameComesFromTheDataPathWithoutItsArchiveExtension() {
        assertThat(DemoCommand.datasetName(SampleData.FASHION_MNIST)).isEqualTo("fashion");
        assertThat(DemoCommand.datasetName("/data/Emoji Faces.tar.gz")).isEqualTo("emoji-faces");
        assertThat(DemoCommand.datasetName("../shared/datasets/fashion-mnist/")).isEqualTo("fashion-mnist");
        assertThat(DemoCommand.datasetName("cifar10.tar")).isEqualTo("cifar10");
        assertThat(DemoCommand.datasetName("/")).as("nothing to name it by").isEqualTo("data");
    }
}
