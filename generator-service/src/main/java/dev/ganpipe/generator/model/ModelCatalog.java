package dev.ganpipe.generator.model;

import dev.ganpipe.common.model.ModelManifest;
import dev.ganpipe.common.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every model name this service serves, side by side as a model repository: one {@link ModelRegistry} per name, each
 * with its own versions, hot swap, trust checks and pin. A name gets its registry when its first model arrives, up to
 * {@code maxModels} names (and only the listed ones when the operator lists them); later names are refused with a log line, so a topic shared by many datasets cannot load
 * more sessions than the operator sized the service for.
 *
 * <p>Callers that name no model get the default one ({@link #resolve}): the configured {@code --model-name}, else the
 * only name served; with several names and no default they must name one, because picking one silently would serve
 * images of the wrong dataset.
 */
public final class ModelCatalog implements ModelIntake, AutoCloseable {

    /** The default {@code --max-models}. */
    public static final int DEFAULT_MAX_MODELS = 8;

    private static final Logger LOG = LoggerFactory.getLogger(ModelCatalog.class);
    // Refused names are remembered only to log each once; beyond this many the set stops growing.
    private static final int MAX_REFUSED_REMEMBERED = 256;

    private final ModelRegistry.Loader loader;
    private final int keepVersions;
    private final Optional<String> defaultName;
    private final int maxModels;
    private final Set<String> onlyNames;
    private final ModelTrust trust;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Counter unreadable;

    // Guarded by this.
    private final Map<String, ModelRegistry> byName = new TreeMap<>();
    private final Set<String> refused = new HashSet<>();
    private boolean closed;

    /**
     * @param loader loads and validates models, e.g. {@link ModelRegistry#onnxLoader}
     * @param keepVersions how many versions of each name stay loaded (and can be pinned); at least 1
     * @param defaultName the model served to callers that name none; empty: the only name served
     * @param maxModels the most model names loaded at once; at least 1
     * @param onlyNames the names to serve ({@code --models}); empty: every name, up to {@code maxModels}
     * @param trust which models are believed to come from the trainer
     * @param clock time of loading, shown in the models list
     */
    public ModelCatalog(ModelRegistry.Loader loader, int keepVersions, Optional<String> defaultName, int maxModels,
            Collection<String> onlyNames, ModelTrust trust, MeterRegistry meters, Clock clock) {
        if (keepVersions < 1) {
            throw new IllegalArgumentException("The catalog must keep at least one version of each model loaded, but keepVersions was "
                    + keepVersions + ".");
        }
        if (maxModels < 1) {
            throw new IllegalArgumentException("The catalog must serve at least one model name, but maxModels was " + maxModels + ".");
        }
        this.loader = loader;
        this.keepVersions = keepVersions;
        this.defaultName = defaultName;
        this.maxModels = maxModels;
        this.onlyNames = Set.copyOf(onlyNames);
        this.trust = trust;
        this.meters = meters;
        this.clock = clock;
        this.unreadable = ModelRegistry.swaps(meters, "rejected");
    }

    /** A catalog of up to {@link #DEFAULT_MAX_MODELS} names, no default, unsigned models allowed (tests and benchmarks). */
    public ModelCatalog(ModelRegistry.Loader loader, int keepVersions, MeterRegistry meters, Clock clock) {
        this(loader, keepVersions, Optional.empty(), DEFAULT_MAX_MODELS, Set.of(), ModelTrust.unsignedAllowed(), meters, clock);
    }

    @Override
    public OfferOutcome offer(ModelManifest manifest, byte[] onnx, Optional<String> signature, String origin) {
        Optional<ModelRegistry> registry = registryFor(manifest.name(), origin);
        if (registry.isEmpty()) {
            return OfferOutcome.IGNORED;
        }
        OfferOutcome outcome = registry.get().offer(manifest, onnx, signature, origin);
        if (outcome == OfferOutcome.REJECTED) {
            forgetIfNeverServed(manifest.name(), registry.get());
        }
        return outcome;
    }

    @Override
    public void rejectUnreadable(String origin, String reason) {
        unreadable.increment();
        LOG.warn("Rejected a model record from {}: {}; every model served stays as it was.", origin, reason);
    }

    /**
     * The registry of {@code name} when given, else of the default model; empty while that model has not arrived yet
     * (or no model at all has).
     *
     * @throws ModelChoiceException when {@code name} is not served, or none is given while several names are served
     *     and no {@code --model-name} chose a default
     */
    public synchronized Optional<ModelRegistry> resolve(Optional<String> name) {
        if (name.isPresent()) {
            ModelRegistry registry = byName.get(name.get());
            if (registry == null) {
                throw new ModelChoiceException(true, "No model named '" + abbreviate(name.get()) + "' is served here; "
                        + (byName.isEmpty() ? "no model has arrived yet." : "name one of " + String.join(", ", byName.keySet())
                        + " (GET /v1/models lists them)."));
            }
            return Optional.of(registry);
        }
        if (defaultName.isPresent()) {
            return Optional.ofNullable(byName.get(defaultName.get()));
        }
        if (byName.size() > 1) {
            throw new ModelChoiceException(false, "This service serves " + byName.size() + " models (" + String.join(", ", byName.keySet())
                    + ") and has no default (--model-name), so the request must name one: model=NAME over HTTP, \"model\":\"NAME\" "
                    + "on synthetic.requests.");
        }
        return byName.values().stream().findFirst();
    }

    /**
     * A lease on a model: {@code version} of it when given, else its live version; empty while it has none live.
     *
     * @throws ModelChoiceException as {@link #resolve}
     * @throws UnavailableModelException when the version is unknown or not loaded
     */
    public Optional<ModelLease> acquire(Optional<String> name, OptionalLong version) {
        return resolve(name).flatMap(registry -> registry.acquire(version));
    }

    /** A lease on the default model's live version; see {@link #acquire(Optional, OptionalLong)}. */
    public Optional<ModelLease> acquire() {
        return acquire(Optional.empty(), OptionalLong.empty());
    }

    /** The name served to callers that name none: the configured default, else the only name served; empty otherwise. */
    public synchronized Optional<String> defaultName() {
        if (defaultName.isPresent()) {
            return defaultName;
        }
        return byName.size() == 1 ? byName.keySet().stream().findFirst() : Optional.empty();
    }

    /** Whether requests that name no model can be served: the default model (or, with none, any model) is live. */
    public synchronized boolean ready() {
        if (defaultName.isPresent()) {
            ModelRegistry registry = byName.get(defaultName.get());
            return registry != null && registry.ready();
        }
        return byName.values().stream().anyMatch(ModelRegistry::ready);
    }

    /** The default model's live version; empty while it has none, or when several names are served without a default. */
    public OptionalLong liveVersion() {
        return defaultRegistry().map(ModelRegistry::liveVersion).orElse(OptionalLong.empty());
    }

    /** The default model's pinned version, if an operator pinned one. */
    public OptionalLong pinnedVersion() {
        return defaultRegistry().map(ModelRegistry::pinnedVersion).orElse(OptionalLong.empty());
    }

    /** The names served, sorted, each with its registry. */
    public synchronized Map<String, ModelRegistry> registries() {
        return new TreeMap<>(byName);
    }

    /** Every known version of every name: by name, newest version first. */
    public List<ModelInfo> models() {
        List<ModelInfo> rows = new ArrayList<>();
        for (ModelRegistry registry : registries().values()) {
            rows.addAll(registry.models());
        }
        return rows;
    }

    /** Unloads every model; sessions still leased close when their leases are. Safe to call twice. */
    @Override
    public void close() {
        List<ModelRegistry> open;
        synchronized (this) {
            closed = true;
            open = new ArrayList<>(byName.values());
        }
        for (ModelRegistry registry : open) {
            registry.close();
        }
    }

    private synchronized long liveVersionOf(String name) {
        ModelRegistry registry = byName.get(name);
        return registry == null ? 0 : registry.liveVersion().orElse(0);
    }

    /** The default model's registry; empty while it has not arrived, or when several names are served without a default. */
    public Optional<ModelRegistry> defaultRegistry() {
        try {
            return resolve(Optional.empty());
        } catch (ModelChoiceException severalWithoutDefault) {
            return Optional.empty();
        }
    }

    private synchronized Optional<ModelRegistry> registryFor(String name, String origin) {
        if (closed) {
            return Optional.empty();
        }
        ModelRegistry registry = byName.get(name);
        if (registry != null) {
            return Optional.of(registry);
        }
        if (!onlyNames.isEmpty() && !onlyNames.contains(name)) {
            if (refused.size() < MAX_REFUSED_REMEMBERED && refused.add(name)) {
                LOG.warn("Not serving models named '{}' (first seen from {}): --models lists only {}. Add the name to --models, or run "
                        + "another generator for it.", abbreviate(name), origin, String.join(", ", new TreeSet<>(onlyNames)));
            }
            return Optional.empty();
        }
        if (byName.size() >= maxModels) {
            if (refused.size() < MAX_REFUSED_REMEMBERED && refused.add(name)) {
                LOG.warn("Not serving models named '{}' (first seen from {}): this service already serves {} names ({}), the most "
                        + "--max-models allows. Raise --max-models, or run another generator for them.", abbreviate(name), origin,
                        byName.size(), String.join(", ", byName.keySet()));
            }
            return Optional.empty();
        }
        registry = new ModelRegistry(loader, keepVersions, Optional.of(name), trust, meters, clock);
        byName.put(name, registry);
        // Registering again after a name gave its slot back finds the same gauge, which reads through this catalog.
        Gauge.builder(MetricNames.GENERATOR_MODEL_VERSION, this, catalog -> catalog.liveVersionOf(name))
                .tag(MetricNames.TAG_MODEL, name)
                .description("Version of the live generator model, per model name (0 while none is live)")
                .strongReference(true)
                .register(meters);
        LOG.info("Serving model name '{}' (first seen from {}){}.", abbreviate(name), origin,
                byName.size() == 1 ? "" : " beside " + (byName.size() - 1) + " other" + (byName.size() == 2 ? "" : "s"));
        return Optional.of(registry);
    }

    // A name whose models were all rejected gives its slot back, so bad records under made-up names cannot use up
    // --max-models; the rejection was already logged and counted.
    private synchronized void forgetIfNeverServed(String name, ModelRegistry registry) {
        if (byName.get(name) == registry && !registry.acceptedAny()) {
            byName.remove(name);
            registry.close();
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
