package dev.ganpipe.generator.model;

import dev.ganpipe.common.image.Hashes;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.metrics.MetricNames;
import dev.ganpipe.common.model.ModelManifest;
import dev.ganpipe.generator.onnx.OnnxGenerator;
import dev.ganpipe.generator.onnx.OrtSessionFactory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The versions this service knows, the newest few of them loaded, and the live one.
 *
 * <p>Models arrive through {@link #offer}, which checks the checksum, loads and test-runs the model outside any
 * lock that requests touch, then swaps it in. A bad model is rejected, logged and counted, and serving continues on
 * the previous one. Requests {@link #acquire} a lease on the live model; swapping only changes which model the next
 * lease gets, and a model's session closes once it is no longer kept and its last lease is released.
 *
 * <p>Unless an operator pins a version ({@link #activate}), the newest loaded version is live. A registry serves
 * one model name: the given one, or else the first it sees; {@link ModelCatalog} keeps one registry per name.
 */
public final class ModelRegistry implements ModelIntake, AutoCloseable {

    /** Loads and validates ONNX bytes for a manifest. */
    @FunctionalInterface
    public interface Loader {
        /**
         * @throws RuntimeException (typically {@link dev.ganpipe.common.model.onnx.InvalidModelException}) saying why
         *     the model cannot be served
         */
        OnnxGenerator load(ModelManifest manifest, byte[] onnx);
    }

    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);
    /** Rejected and retired rows beyond this many are forgotten, so a flood of bad records cannot grow memory. */
    static final int MAX_ENTRIES = 256;

    private enum Status { LOADED, RETIRED, REJECTED }

    private record Entry(ModelManifest manifest, Status status, LoadedModel model, String reason) {
    }

    private final Loader loader;
    private final int keepVersions;
    private final Clock clock;
    private final Counter applied;
    private final Counter rejected;
    private final ModelTrust trust;
    private final Map<ModelTrust.Refusal, Counter> untrusted = new java.util.EnumMap<>(ModelTrust.Refusal.class);
    // Offers are serialised (they come from one or two watcher threads); requests never wait on this lock.
    private final Object offerLock = new Object();

    // Guarded by this.
    private final TreeMap<Long, Entry> entries = new TreeMap<>();
    private final Set<String> ignoredNames = new HashSet<>();
    private String servedName;
    private Long pinned;
    private boolean closed;

    private volatile LoadedModel live;

    /**
     * @param loader loads and validates models, e.g. {@link #onnxLoader}
     * @param keepVersions how many versions stay loaded (and can be pinned); at least 1
     * @param modelName the model name to serve, or empty to serve the first name seen
     * @param clock time of loading, shown in the models list
     */
    public ModelRegistry(Loader loader, int keepVersions, Optional<String> modelName, MeterRegistry meters, Clock clock) {
        this(loader, keepVersions, modelName, ModelTrust.unsignedAllowed(), meters, clock);
    }

    /**
     * @param trust which models are believed to come from the trainer; the others are rejected before loading
     */
    public ModelRegistry(Loader loader, int keepVersions, Optional<String> modelName, ModelTrust trust, MeterRegistry meters, Clock clock) {
        if (keepVersions < 1) {
            throw new IllegalArgumentException("The registry must keep at least one model version loaded, but keepVersions was " + keepVersions + ".");
        }
        this.loader = loader;
        this.keepVersions = keepVersions;
        this.clock = clock;
        this.servedName = modelName.orElse(null);
        this.applied = swaps(meters, "applied");
        this.rejected = swaps(meters, "rejected");
        this.trust = trust;
        for (ModelTrust.Refusal reason : ModelTrust.Refusal.values()) {
            untrusted.put(reason, Counter.builder(MetricNames.GENERATOR_MODEL_UNTRUSTED).tag("reason", reason.name().toLowerCase(java.util.Locale.ROOT))
                    .description("Models refused because their origin is not proven (also counted as rejected swaps)").register(meters));
        }
    }

    /** The loader that runs models with ONNX Runtime, checking them against their manifest's shape and noise width. */
    public static Loader onnxLoader(OrtSessionFactory factory) {
        return (manifest, onnx) -> OnnxGenerator.load(factory, onnx, ImageShape.parse(manifest.imageShape()), manifest.noiseDim());
    }

    @Override
    public OfferOutcome offer(ModelManifest manifest, byte[] onnx, Optional<String> signature, String origin) {
        synchronized (offerLock) {
            OfferOutcome early = precheck(manifest, origin);
            if (early != null) {
                return early;
            }
            String actual = Hashes.sha256(onnx);
            if (!actual.equalsIgnoreCase(manifest.sha256())) {
                return reject(manifest, origin, "its bytes hash to sha256 " + actual + " but the record says " + manifest.sha256()
                        + " (corrupted or truncated on the way)");
            }
            // The signature covers the sha256 just checked against the bytes, so together they prove the bytes' origin.
            Optional<ModelTrust.Verdict> refusal = trust.refusal(manifest, signature, newestAccepted());
            if (refusal.isPresent()) {
                untrusted.get(refusal.get().reason()).increment();
                return reject(manifest, origin, refusal.get().sentence());
            }
            OnnxGenerator generator;
            try {
                generator = loader.load(manifest, onnx);
            } catch (RuntimeException e) {
                return reject(manifest, origin, e.getMessage());
            }
            return register(manifest, generator, origin);
        }
    }

    @Override
    public void rejectUnreadable(String origin, String reason) {
        rejected.increment();
        LOG.warn("Rejected a model record from {}: {}; serving continues on {}.", origin, reason, describeLive());
    }

    /** A lease on the live model, or empty while no model is live. Close the lease when the forward pass is done. */
    public Optional<ModelLease> acquire() {
        while (true) {
            LoadedModel current = live;
            if (current == null) {
                return Optional.empty();
            }
            if (current.retain()) {
                return Optional.of(new ModelLease(current));
            }
            // It was swapped out and closed between the read and the retain; the next read sees its successor.
            Thread.onSpinWait();
        }
    }

    /**
     * A lease on {@code version} when given (any loaded version, pinned or not, so a caller can compare versions
     * without changing what others get), else on the live model; empty while no model is live.
     *
     * @throws UnavailableModelException when the version is unknown, retired or was rejected
     */
    public Optional<ModelLease> acquire(OptionalLong version) {
        if (version.isEmpty()) {
            return acquire();
        }
        LoadedModel model;
        synchronized (this) {
            Entry entry = entries.get(version.getAsLong());
            if (entry == null) {
                throw new UnavailableModelException(false, "No version " + version.getAsLong() + " of model '" + servedName
                        + "' is known; GET /v1/models lists the versions.");
            }
            if (entry.status() != Status.LOADED) {
                throw new UnavailableModelException(true, "Version " + version.getAsLong() + " of model '" + servedName + "' is not loaded: "
                        + (entry.status() == Status.RETIRED ? "only the newest " + keepVersions + " versions stay loaded." : "it was rejected: " + entry.reason()));
            }
            model = entry.model();
            // Under this lock no eviction can release the registry's reference, so retain cannot fail here.
            if (!model.retain()) {
                throw new IllegalStateException("Loaded model " + model + " was already closed; this is a bug in the registry.");
            }
        }
        return Optional.of(new ModelLease(model));
    }

    /** The model name this registry serves, once known. */
    public synchronized Optional<String> servedName() {
        return Optional.ofNullable(servedName);
    }

    /** Whether a model is live. */
    public boolean ready() {
        return live != null;
    }

    /** The live version, if any. */
    public OptionalLong liveVersion() {
        LoadedModel current = live;
        return current == null ? OptionalLong.empty() : OptionalLong.of(current.version());
    }

    /** The pinned version, if an operator pinned one. */
    public synchronized OptionalLong pinnedVersion() {
        return pinned == null ? OptionalLong.empty() : OptionalLong.of(pinned);
    }

    /**
     * Pins a loaded version: it stays live until {@link #unpin} or another pin, whatever arrives meanwhile.
     *
     * @throws UnavailableModelException when the version is unknown, retired or was rejected
     */
    public synchronized ModelInfo activate(long version) {
        Entry entry = entries.get(version);
        if (entry == null) {
            throw new UnavailableModelException(false, "No model version " + version + " is known; GET /v1/models lists the versions.");
        }
        if (entry.status() != Status.LOADED) {
            throw new UnavailableModelException(true, "Model version " + version + " cannot be activated because it was "
                    + (entry.status() == Status.RETIRED
                            ? "unloaded: only the newest " + keepVersions + " versions stay loaded (raise --keep-versions to keep more)."
                            : "rejected: " + entry.reason()));
        }
        pinned = version;
        updateLive();
        evict();
        LOG.info("Pinned model {}; it serves every request until it is unpinned.", entry.model());
        return info(entries.get(version));
    }

    /** Drops any pin: the newest loaded version is live again. Returns the now-live model's row, if any. */
    public synchronized Optional<ModelInfo> unpin() {
        Long was = pinned;
        pinned = null;
        updateLive();
        evict();
        if (was != null) {
            LOG.info("Unpinned model v{}; serving the newest version, {}.", was, describeLive());
        }
        LoadedModel current = live;
        return current == null ? Optional.empty() : Optional.of(info(entries.get(current.version())));
    }

    /** Every known version, newest first. */
    public synchronized List<ModelInfo> models() {
        List<ModelInfo> rows = new ArrayList<>();
        for (Entry entry : entries.descendingMap().values()) {
            rows.add(info(entry));
        }
        return rows;
    }

    /** Unloads everything; sessions still leased close when their leases are. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        live = null;
        for (Map.Entry<Long, Entry> e : entries.entrySet()) {
            if (e.getValue().status() == Status.LOADED) {
                e.getValue().model().release();
                e.setValue(new Entry(e.getValue().manifest(), Status.RETIRED, null, null));
            }
        }
    }

    /** Null to go on loading, or the outcome for a model that needs no loading. */
    private synchronized OfferOutcome precheck(ModelManifest manifest, String origin) {
        if (closed) {
            return OfferOutcome.IGNORED;
        }
        if (servedName == null) {
            servedName = manifest.name();
            LOG.info("This registry serves model name '{}', the first one seen.", servedName);
        }
        if (!servedName.equals(manifest.name())) {
            if (ignoredNames.add(manifest.name())) {
                // The service's ModelCatalog hands each registry only its own name; this is for registries used alone.
                LOG.warn("Ignoring models named '{}' (first seen from {}): this registry serves '{}'; a ModelCatalog serves "
                        + "several names side by side.", manifest.name(), origin, servedName);
            }
            return OfferOutcome.IGNORED;
        }
        Entry existing = entries.get(manifest.version());
        if (existing != null && existing.status() == Status.LOADED) {
            if (existing.manifest().sha256().equalsIgnoreCase(manifest.sha256())) {
                LOG.debug("Model {} from {} is already loaded.", existing.model(), origin);
                return OfferOutcome.DUPLICATE;
            }
            return reject(manifest, origin, "version " + manifest.version() + " is already loaded with different bytes (sha256 "
                    + existing.manifest().sha256() + "); versions must never be reused");
        }
        List<Long> loaded = loadedVersions();
        if (loaded.size() >= keepVersions && manifest.version() < loaded.getFirst()) {
            LOG.debug("Skipping model {} v{} from {}: older than every version kept loaded.", manifest.name(), manifest.version(), origin);
            return OfferOutcome.IGNORED;
        }
        return null;
    }

    private synchronized OfferOutcome register(ModelManifest manifest, OnnxGenerator generator, String origin) {
        if (closed) {
            generator.close();
            return OfferOutcome.IGNORED;
        }
        LoadedModel model = new LoadedModel(manifest, generator, clock.instant());
        entries.put(manifest.version(), new Entry(manifest, Status.LOADED, model, null));
        applied.increment();
        updateLive();
        evict();
        trim();
        LOG.info("Loaded model {} (step {}, sha256 {}) from {}; {}.", model, manifest.step(), abbreviate(manifest.sha256()), origin,
                live == model ? "it is live now" : "live stays " + describeLive() + (pinned != null ? " (pinned)" : ""));
        return OfferOutcome.APPLIED;
    }

    private OfferOutcome reject(ModelManifest manifest, String origin, String reason) {
        rejected.increment();
        synchronized (this) {
            Entry existing = entries.get(manifest.version());
            if (existing == null || existing.status() == Status.REJECTED) {
                entries.put(manifest.version(), new Entry(manifest, Status.REJECTED, null, reason));
                trim();
            }
        }
        LOG.warn("Rejected model {} v{} from {}: {}; serving continues on {}.", manifest.name(), manifest.version(), origin, reason, describeLive());
        return OfferOutcome.REJECTED;
    }

    // Callers hold this.
    private void updateLive() {
        LoadedModel next = null;
        if (pinned != null) {
            Entry entry = entries.get(pinned);
            if (entry != null && entry.status() == Status.LOADED) {
                next = entry.model();
            }
        }
        if (next == null) {
            for (Entry entry : entries.descendingMap().values()) {
                if (entry.status() == Status.LOADED) {
                    next = entry.model();
                    break;
                }
            }
        }
        live = next;
    }

    // Callers hold this. Unloads the oldest versions beyond keepVersions, never the live or the pinned one.
    private void evict() {
        int loaded = loadedVersions().size();
        for (Map.Entry<Long, Entry> e : entries.entrySet()) {
            if (loaded <= keepVersions) {
                return;
            }
            Entry entry = e.getValue();
            if (entry.status() == Status.LOADED && entry.model() != live && !e.getKey().equals(pinned)) {
                e.setValue(new Entry(entry.manifest(), Status.RETIRED, null, null));
                entry.model().release();
                loaded--;
                LOG.info("Unloaded model {} to keep the newest {} versions; its session closes after its last request.", entry.model(), keepVersions);
            }
        }
    }

    // Callers hold this.
    private void trim() {
        while (entries.size() > MAX_ENTRIES) {
            Long oldest = entries.entrySet().stream()
                    .filter(e -> e.getValue().status() != Status.LOADED)
                    .map(Map.Entry::getKey)
                    .findFirst()
                    .orElse(null);
            if (oldest == null) {
                return;
            }
            entries.remove(oldest);
        }
    }

    /** Whether any version passed every check, so the registry serves or served this name. */
    synchronized boolean acceptedAny() {
        return newestAccepted().isPresent();
    }

    /** The newest version that passed every check, loaded now or unloaded since. */
    private synchronized OptionalLong newestAccepted() {
        return entries.descendingMap().values().stream().filter(e -> e.status() != Status.REJECTED)
                .mapToLong(e -> e.manifest().version()).findFirst();
    }

    // Callers hold this.
    private List<Long> loadedVersions() {
        return entries.entrySet().stream().filter(e -> e.getValue().status() == Status.LOADED).map(Map.Entry::getKey).toList();
    }

    // Callers hold this.
    private ModelInfo info(Entry entry) {
        ModelManifest m = entry.manifest();
        boolean active = entry.model() != null && entry.model() == live;
        boolean isPinned = pinned != null && pinned == m.version();
        return new ModelInfo(m.name(), m.version(), m.step(), m.createdAt().toString(), m.metrics(), m.sha256(), m.imageShape(),
                entry.status().name().toLowerCase(java.util.Locale.ROOT), active, isPinned,
                entry.model() == null ? null : entry.model().loadedAt().toString(), entry.reason(),
                entry.model() == null || !entry.model().generator().conditional() ? null : entry.model().generator().classNames(),
                entry.model() == null || !entry.model().generator().hasConfidence() ? null : Boolean.TRUE);
    }

    private String describeLive() {
        LoadedModel current = live;
        return current == null ? "no model (none is live yet)" : current.toString();
    }

    private static String abbreviate(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) + "..." : sha;
    }

    static Counter swaps(MeterRegistry meters, String outcome) {
        return Counter.builder(MetricNames.GENERATOR_MODEL_SWAPS)
                .tag(MetricNames.TAG_OUTCOME, outcome)
                .description("Models offered to the generator service, by outcome")
                .register(meters);
    }
}
