package dev.ganpipe.generator;

import dev.ganpipe.common.Service;
import dev.ganpipe.common.StartedParts;
import dev.ganpipe.common.http.HttpError;
import dev.ganpipe.common.http.HttpLimits;
import dev.ganpipe.common.http.HttpService;
import dev.ganpipe.common.kafka.BrokerWatch;
import dev.ganpipe.common.time.Sleeper;
import dev.ganpipe.generator.batch.MicroBatcher;
import dev.ganpipe.generator.continuous.ContinuousPublisher;
import dev.ganpipe.generator.continuous.KafkaImageSink;
import dev.ganpipe.generator.http.GeneratorApi;
import dev.ganpipe.generator.http.JdkHttpServerTuning;
import dev.ganpipe.generator.images.Generation;
import dev.ganpipe.generator.model.ModelCatalog;
import dev.ganpipe.generator.model.ModelRegistry;
import dev.ganpipe.generator.onnx.OrtSessionFactory;
import dev.ganpipe.generator.source.ModelSources;
import dev.ganpipe.generator.stream.RequestStream;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running generator service: model registry, micro-batcher, the HTTP server, the model sources, the Kafka
 * request stream and continuous mode, started by {@link #start} and stopped together, in reverse order, by
 * {@link #close}. Ready ({@code /readyz} 200) once the default model (any model, without {@code --model-name}) is live and, when it is enabled, the request stream is
 * RUNNING. A request stream that has stopped for good (e.g. a missing ACL) makes {@code /readyz} 503 with the
 * stream's sentence until the service is restarted, while HTTP generation keeps serving.
 */
public final class GeneratorService implements Service {

    private static final Logger LOG = LoggerFactory.getLogger(GeneratorService.class);

    private final ModelCatalog registry;
    private final HttpService http;
    private final Optional<RequestStream> requests;
    private final StartedParts resources;

    private GeneratorService(ModelCatalog registry, HttpService http, Optional<RequestStream> requests, StartedParts resources) {
        this.registry = registry;
        this.http = http;
        this.requests = requests;
        this.resources = resources;
    }

    /** As {@link #start(GeneratorConfig, PrometheusMeterRegistry, Clock, Sleeper)} with the system clock. */
    public static GeneratorService start(GeneratorConfig config, PrometheusMeterRegistry meters) {
        return start(config, meters, Clock.systemUTC(), Sleeper.system());
    }

    /**
     * Starts serving: HTTP first (so {@code /readyz} answers 503 while no model is live), then the model sources,
     * the request stream and continuous mode, each when configured.
     *
     * @param meters the registry {@code /metrics} serves; the service registers its meters in it
     * @param clock time of record headers, model load times and continuous-mode pacing
     * @param sleeper how continuous mode waits between images
     * @throws RuntimeException when a part cannot start (port taken, CUDA demanded but absent); what was already
     *     started is stopped again
     */
    public static GeneratorService start(GeneratorConfig config, PrometheusMeterRegistry meters, Clock clock, Sleeper sleeper) {
        JdkHttpServerTuning.apply();
        OrtSessionFactory ort = new OrtSessionFactory(config.ort());
        ModelCatalog registry = new ModelCatalog(ModelRegistry.onnxLoader(ort), config.keepVersions(), config.modelName(), config.maxModels(),
                config.onlyModels(), config.trust(), meters, clock);
        StartedParts resources = new StartedParts();
        resources.push(registry);
        try {
            MicroBatcher batcher = new MicroBatcher(config.maxBatch(), config.maxWait(), meters);
            resources.push(batcher);
            Generation generation = new Generation(registry, batcher, meters);
            // Set once the request stream exists; readiness reads it on every /readyz.
            AtomicReference<RequestStream> stream = new AtomicReference<>();
            boolean usesKafka = config.modelsFromTopic() || config.requestsStream() || config.continuous().enabled();
            Optional<BrokerWatch> broker = usesKafka ? Optional.of(BrokerWatch.start(config.kafka(), "generator")) : Optional.empty();
            broker.ifPresent(resources::push);
            HttpService http = HttpService.start(config.http().applyTo(new HttpService.Options("generator", config.host(), config.port(),
                    GeneratorApi.routes(generation, config.api(), meters,
                            () -> readyOrSayWhy(registry, config.requestsStream(), stream.get(), broker)),
                    meters, "gan.generator", HttpLimits.defaults())));
            resources.push(http);
            ModelSources sources = ModelSources.start(
                    config.modelsFromTopic() ? Optional.of(config.topics().modelsGenerator()) : Optional.empty(),
                    config.kafka(), config.modelsDir(), config.modelsScan(), registry, config.keepVersions(), meters);
            resources.push(sources);
            if (config.requestsStream()) {
                RequestStream requests = RequestStream.start(config.kafka(), config.requestsAppId(), config.topics(), generation,
                        config.api().maxCount(), meters, clock);
                resources.push(requests);
                stream.set(requests);
            } else {
                LOG.info("The request stream is off (--requests-stream false): synthetic.requests is not answered.");
            }
            if (config.continuous().enabled()) {
                KafkaImageSink sink = KafkaImageSink.create(config.kafka(), config.kafka().clientId("gan-generator-continuous"),
                        config.topics().synthetic(), meters);
                ContinuousPublisher publisher;
                try {
                    publisher = new ContinuousPublisher(config.continuous(), generation, sink, meters, clock, sleeper);
                } catch (RuntimeException e) {
                    sink.close();
                    throw e;
                }
                resources.push(publisher.start());
            }
            if (config.api().adminKey().isEmpty()) {
                LOG.info("No --admin-key is set: anyone who reaches port {} can activate model versions.", http.port());
            }
            return new GeneratorService(registry, http, Optional.ofNullable(stream.get()), resources);
        } catch (RuntimeException e) {
            resources.closeAfterFailedStart(e);
            throw e;
        }
    }

    /**
     * What {@code /readyz} reports. When the service is not ready, this throws the 503 itself with the most useful
     * sentence: the request stream's, once it has stopped for good (it needs a restart; HTTP generation goes on), else
     * the broker's while it is unreachable or refuses this client, else {@link GeneratorApi#NOT_READY_REASON}. A live
     * model with the request stream off needs no broker, so an outage alone never makes the service unready.
     */
    private static boolean readyOrSayWhy(ModelCatalog registry, boolean streamWanted, RequestStream stream, Optional<BrokerWatch> broker) {
        if (ready(registry, streamWanted, stream)) {
            return true;
        }
        Optional<String> problem = Optional.ofNullable(stream).flatMap(RequestStream::problem)
                .or(() -> broker.flatMap(BrokerWatch::problem));
        if (problem.isPresent()) {
            throw HttpError.notReady(problem.get());
        }
        return false;
    }

    private static boolean ready(ModelCatalog registry, boolean streamWanted, RequestStream stream) {
        return registry.ready() && (!streamWanted || (stream != null && stream.running()));
    }

    @Override
    public String name() {
        return "generator";
    }

    /** Whether the service is ready (what {@code /readyz} reports): a model is live and the request stream, if on, runs. */
    public boolean ready() {
        return ready(registry, requests.isPresent(), requests.orElse(null));
    }

    /** The bound HTTP port (useful with port 0). */
    public int port() {
        return http.port();
    }

    /** The models served, e.g. for a demo that reports the default model's live version. */
    public ModelCatalog registry() {
        return registry;
    }

    /** The request stream, when it is on. */
    public Optional<RequestStream> requests() {
        return requests;
    }

    /** Stops continuous mode, the request stream, the sources, HTTP and the batcher, then unloads the models; safe to call twice. */
    @Override
    public void close() {
        resources.closeOnce("Stopping the generator service failed; see the suppressed exceptions.");
    }
}
