package dev.ganpipe.generator;

import dev.ganpipe.common.Service;
import dev.ganpipe.common.http.HttpService;
import dev.ganpipe.generator.batch.MicroBatcher;
import dev.ganpipe.generator.http.GeneratorApi;
import dev.ganpipe.generator.model.ModelRegistry;
import dev.ganpipe.generator.onnx.OrtSessionFactory;
import dev.ganpipe.generator.source.ModelSources;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running generator service: model registry, micro-batcher, model sources and the HTTP server, started by
 * {@link #start} and stopped together by {@link #close}.
 */
public final class GeneratorService implements Service {

    private static final Logger LOG = LoggerFactory.getLogger(GeneratorService.class);

    private final ModelRegistry registry;
    private final MicroBatcher batcher;
    private final HttpService http;
    private final ModelSources sources;
    private final AtomicBoolean closed = new AtomicBoolean();

    private GeneratorService(ModelRegistry registry, MicroBatcher batcher, HttpService http, ModelSources sources) {
        this.registry = registry;
        this.batcher = batcher;
        this.http = http;
        this.sources = sources;
    }

    /**
     * Starts serving: HTTP first (so {@code /readyz} answers 503 while no model is live), then the model sources.
     *
     * @param meters the registry {@code /metrics} serves; the service registers its meters in it
     * @throws RuntimeException when a part cannot start (port taken, CUDA demanded but absent); what was already
     *     started is stopped again
     */
    public static GeneratorService start(GeneratorConfig config, PrometheusMeterRegistry meters) {
        OrtSessionFactory ort = new OrtSessionFactory(config.ort());
        ModelRegistry registry = new ModelRegistry(ModelRegistry.onnxLoader(ort), config.keepVersions(), config.modelName(), meters,
                Clock.systemUTC());
        MicroBatcher batcher = null;
        HttpService http = null;
        try {
            batcher = new MicroBatcher(config.maxBatch(), config.maxWait(), meters);
            http = HttpService.start("generator", config.host(), config.port(),
                    GeneratorApi.routes(registry, batcher, config.api(), meters), meters, "gan.generator");
            ModelSources sources = ModelSources.start(
                    config.modelsFromTopic() ? Optional.of(config.topics().modelsGenerator()) : Optional.empty(),
                    config.kafka(), config.modelsDir(), config.modelsScan(), registry, config.keepVersions(), meters);
            if (config.api().adminKey().isEmpty()) {
                LOG.info("No --admin-key is set: anyone who reaches port {} can activate model versions.", http.port());
            }
            return new GeneratorService(registry, batcher, http, sources);
        } catch (RuntimeException e) {
            if (http != null) {
                http.close();
            }
            if (batcher != null) {
                batcher.close();
            }
            registry.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "generator";
    }

    /** Whether a model is live (what {@code /readyz} reports). */
    public boolean ready() {
        return registry.ready();
    }

    /** The bound HTTP port (useful with port 0). */
    public int port() {
        return http.port();
    }

    /** The model registry, e.g. for a demo that reports the live version. */
    public ModelRegistry registry() {
        return registry;
    }

    /** Stops the sources, then HTTP, then the batcher, then unloads the models; safe to call twice. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            sources.close();
        } finally {
            try {
                http.close();
            } finally {
                try {
                    batcher.close();
                } finally {
                    registry.close();
                }
            }
        }
    }
}
