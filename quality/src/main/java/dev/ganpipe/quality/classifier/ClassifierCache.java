package dev.ganpipe.quality.classifier;

import dev.ganpipe.common.Json;
import dev.ganpipe.common.image.Hashes;
import dev.ganpipe.common.model.ModelDirectory;
import dev.ganpipe.quality.Progress;
import dev.ganpipe.quality.data.RealData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Trained classifiers on disk: one directory per (training set hash, architecture, training options), holding
 * {@value #WEIGHTS} (DJL parameters) and {@value #METADATA}. Both are written atomically, metadata last, so a
 * half-written entry is never loaded; a corrupt one is reported and replaced.
 */
final class ClassifierCache {

    static final String WEIGHTS = "classifier.params";
    static final String METADATA = "classifier.json";
    static final int FORMAT = 2;

    /** What {@value #METADATA} holds. */
    record Metadata(int format, String architecture, String datasetSha256, List<String> classNames, int trainImages, String options,
            double heldOutAccuracy, double trainAccuracy, String labelWarning, double trainSeconds, String createdAt) {
    }

    private ClassifierCache() {
    }

    /** The entry directory of a training set, architecture and options (it need not exist). */
    static Path entry(Path cacheDir, RealData train, ClassifierArchitecture architecture, ClassifierOptions options) {
        String key = train.sha256() + "|" + architecture.key() + "|" + options.key();
        String hash = Hashes.sha256(key.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
        return cacheDir.resolve(architecture.key() + "-" + hash);
    }

    /** The cached classifier, when the entry holds one for exactly this training set and architecture. */
    static Optional<DomainClassifier> load(Path entry, ClassifierArchitecture architecture, RealData train, Progress progress) {
        Path metadataFile = entry.resolve(METADATA);
        Path weightsFile = entry.resolve(WEIGHTS);
        if (!Files.isRegularFile(metadataFile) || !Files.isRegularFile(weightsFile)) {
            progress.report("No cached classifier for this data set in " + entry.getParent() + "; training one.");
            return Optional.empty();
        }
        Metadata metadata;
        try {
            metadata = Json.parse(Files.readAllBytes(metadataFile), Metadata.class);
        } catch (IOException e) {
            progress.report("The cached classifier's " + metadataFile + " cannot be read (" + e.getMessage() + "); training a new one to replace it.");
            return Optional.empty();
        }
        if (metadata.format() != FORMAT || !architecture.key().equals(metadata.architecture()) || !train.sha256().equals(metadata.datasetSha256())
                || !train.classNames().equals(metadata.classNames())) {
            progress.report("The cache entry " + entry + " belongs to another data set or layout; training a new classifier to replace it.");
            return Optional.empty();
        }
        ClassifierNetwork network;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(weightsFile)))) {
            network = ClassifierNetwork.load(architecture, in);
        } catch (IOException e) {
            progress.report("The cached classifier's " + weightsFile + " cannot be read (" + e.getMessage() + "); training a new one to replace it.");
            return Optional.empty();
        }
        ClassifierInfo info = new ClassifierInfo(metadata.architecture(), metadata.datasetSha256(), metadata.trainImages(), metadata.options(),
                metadata.heldOutAccuracy(), metadata.trainAccuracy(), metadata.labelWarning() == null ? "" : metadata.labelWarning(),
                metadata.trainSeconds(), true, entry.toString());
        return Optional.of(new DomainClassifier(network, metadata.classNames(), info));
    }

    /**
     * Writes a trained classifier into its entry.
     *
     * @throws UncheckedIOException when the cache directory is not writable
     */
    static void store(Path entry, ClassifierNetwork network, List<String> classNames, ClassifierInfo info) {
        Metadata metadata = new Metadata(FORMAT, info.architecture(), info.datasetSha256(), classNames, info.trainImages(),
                info.options(), info.heldOutAccuracy(), info.trainAccuracy(), info.labelWarning(), info.trainSeconds(), Instant.now().toString());
        try {
            Files.createDirectories(entry);
            ByteArrayOutputStream weights = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(weights)) {
                network.save(out);
            }
            ModelDirectory.atomicWrite(entry.resolve(WEIGHTS), weights.toByteArray());
            ModelDirectory.atomicWrite(entry.resolve(METADATA), Json.bytes(metadata));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the classifier cache entry " + entry.toAbsolutePath()
                    + "; make the cache directory (--cache-dir) writable or point it elsewhere.", e);
        }
    }
}
