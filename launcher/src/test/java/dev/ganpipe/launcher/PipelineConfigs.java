package dev.ganpipe.launcher;

import dev.ganpipe.common.config.ConfigValues;
import dev.ganpipe.common.model.ModelKeys;
import dev.ganpipe.generator.GeneratorConfig;
import dev.ganpipe.ingest.IngestConfig;
import dev.ganpipe.trainer.TrainerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The three services of one in-process pipeline on a test's broker: HTTP on free ports, state under the test's folder,
 * a small trainer (width 16) so a few steps take seconds.
 *
 * @param ingest the normaliser and upload API
 * @param trainer the trainer, with the test's own step options
 * @param generator the generator service
 */
record PipelineConfigs(IngestConfig ingest, TrainerConfig trainer, GeneratorConfig generator) {

    /**
     * @param bootstrap the broker's bootstrap servers
     * @param dir the test's folder: Kafka Streams state, models, checkpoints and samples go below it
     * @param trainerOptions what the test sets besides those: batch size, steps, export schedule
     */
    static PipelineConfigs on(String bootstrap, Path dir, String... trainerOptions) {
        return on(bootstrap, dir, List.of(), trainerOptions);
    }

    /** As above, with options for ingest's normaliser too (e.g. a dataset profile's shape and classes). */
    static PipelineConfigs on(String bootstrap, Path dir, List<String> ingestOptions, String... trainerOptions) {
        Map<String, String> env = Map.of();
        // Signed end to end, as the demo runs: the generator serves only what this trainer's key signed.
        Path signingKey = ModelKeys.ensurePair(dir.resolve("keys"));
        List<String> ingestArgs = new ArrayList<>(List.of("--bootstrap-servers", bootstrap, "--port", "0",
                "--state-dir", dir.resolve("streams").toString()));
        ingestArgs.addAll(ingestOptions);
        IngestConfig ingest = IngestConfig.parse(ingestArgs, env);
        List<String> trainer = new ArrayList<>(List.of("--bootstrap-servers", bootstrap, "--port", "0",
                "--generator-width", "16", "--discriminator-width", "16", "--models-dir", dir.resolve("models").toString(),
                "--checkpoint-dir", dir.resolve("checkpoints").toString(), "--samples-dir", dir.resolve("samples").toString(),
                "--model-signing-key", signingKey.toString()));
        trainer.addAll(List.of(trainerOptions));
        GeneratorConfig generator = GeneratorConfig.from(ConfigValues.parse(GeneratorConfig.spec(),
                List.of("--bootstrap-servers", bootstrap, "--port", "0", "--model-verify-key",
                        signingKey.resolveSibling(ModelKeys.PUBLIC_FILE).toString()), env));
        return new PipelineConfigs(ingest, TrainerConfig.from(ConfigValues.parse(TrainerConfig.spec(), trainer, env)), generator);
    }
}
