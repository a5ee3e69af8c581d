package dev.ganpipe.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DesignPortsTest {

    @Test
    void theContractGivesIngestTrainerAndGeneratorTheirDefaultPorts() {
        assertThat(DesignPorts.fromDesign())
                .as("the ports table of docs/DESIGN.md")
                .isEqualTo(Map.of(DesignPorts.GENERATOR, 8080, DesignPorts.INGEST, 8081, DesignPorts.TRAINER, 8082));
    }
}
