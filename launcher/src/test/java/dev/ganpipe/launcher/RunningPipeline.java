package dev.ganpipe.launcher;

import static org.awaitility.Awaitility.await;

import dev.ganpipe.broker.EmbeddedKafka;
import dev.ganpipe.common.Closeables;
import dev.ganpipe.common.metrics.MeterRegistries;
import dev.ganpipe.generator.GeneratorService;
import dev.ganpipe.images.source.SampleData;
import dev.ganpipe.ingest.IngestConfig;
import dev.ganpipe.ingest.IngestService;
import dev.ganpipe.ingest.publish.IngestCommand;
import dev.ganpipe.trainer.TrainerService;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The whole pipeline in this JVM for the monitoring tests: an embedded broker, ingest, a small fast trainer (batch 16,
 * an export every 4 steps) and the generator service; {@link #ingestSample} feeds it through {@code gan ingest}.
 * Closing stops everything, the broker last.
 */
record RunningPipeline(EmbeddedKafka kafka, IngestService ingest, TrainerService trainer, GeneratorService generator) implements AutoCloseable {

    static RunningPipeline start(Path dir) throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
        IngestService ingest = null;
        TrainerService trainer = null;
        try {
            PipelineConfigs configs = PipelineConfigs.on(kafka.bootstrapServers(), dir, "--batch-size", "16", "--export-every-steps", "4");
            ingest = IngestService.start(configs.ingest(), MeterRegistries.prometheus("ingest"));
            trainer = TrainerService.start(configs.trainer(), MeterRegistries.prometheus("trainer"));
            GeneratorService generator = GeneratorService.start(configs.generator(), MeterRegistries.prometheus("generator"));
            return new RunningPipeline(kafka, ingest, trainer, generator);
        } catch (Exception | Error e) {
            for (AutoCloseable started : new AutoCloseable[] {trainer, ingest, kafka}) {
                if (started != null) {
                    Closeables.closeAfter(started, e);
                }
            }
            throw e;
        }
    }

    /** Publishes the first {@code images} of the bundled sample with {@code gan ingest}, then waits until the generator serves. */
    void ingestSample(int images) throws Exception {
        IngestCommand.run(IngestConfig.parse(List.of("--bootstrap-servers", kafka.bootstrapServers(), "--limit", Integer.toString(images)),
                Map.of()), List.of(SampleData.FASHION_MNIST), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        await().atMost(Duration.ofMinutes(3)).until(generator::ready);
    }

    @Override
    public void close() {
        // Each part closes even when the one before it failed; the broker goes last, under the services using it.
        try {
            generator.close();
        } finally {
            try {
                trainer.close();
            } finally {
                try {
                    ingest.close();
                } finally {
                    kafka.close();
                }
            }
        }
    }
}
