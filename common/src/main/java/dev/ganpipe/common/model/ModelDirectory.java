package dev.ganpipe.common.model;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ganpipe.common.Json;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The models directory: {@code <name>-v<version>.onnx} with a {@code <name>-v<version>.json} manifest beside it.
 * Files are written to a temporary name and renamed, so a reader never sees half a model; the manifest is
 * written last, so a manifest always has its model.
 */
public final class ModelDirectory {

    private static final Pattern MANIFEST = Pattern.compile("(.+)-v(\\d+)\\.json");
    private static final ObjectMapper MAPPER = Json.strict(JsonMapper.builder())
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private final Path root;

    public ModelDirectory(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path modelFile(String name, long version) {
        return root.resolve(name + "-v" + version + ".onnx");
    }

    public Path manifestFile(String name, long version) {
        return root.resolve(name + "-v" + version + ".json");
    }

    /** The trainer's signature of a manifest ({@link ModelSignature}), beside it. */
    public Path signatureFile(String name, long version) {
        return root.resolve(name + "-v" + version + ".sig");
    }

    /** Writes model and manifest atomically, unsigned; returns the model file. */
    public Path write(ModelManifest manifest, byte[] onnx) {
        return write(manifest, onnx, Optional.empty());
    }

    /** Writes model, signature (if any) and manifest atomically, the manifest last; returns the model file. */
    public Path write(ModelManifest manifest, byte[] onnx, Optional<String> signature) {
        try {
            Files.createDirectories(root);
            Path model = modelFile(manifest.name(), manifest.version());
            atomicWrite(model, onnx);
            if (signature.isPresent()) {
                atomicWrite(signatureFile(manifest.name(), manifest.version()), signature.get().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            atomicWrite(manifestFile(manifest.name(), manifest.version()), MAPPER.writeValueAsBytes(manifest));
            return model;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write model " + manifest.name() + " v" + manifest.version() + " to " + root.toAbsolutePath()
                    + "; check that the models directory is writable and the disk has space.", e);
        }
    }

    /** Every manifest in the directory, oldest version first; unreadable manifests are reported, not hidden. */
    public List<ModelManifest> manifests() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<ModelManifest> result = new ArrayList<>();
        try (Stream<Path> files = Files.list(root)) {
            for (Path file : files.toList()) {
                Matcher m = MANIFEST.matcher(file.getFileName().toString());
                if (m.matches()) {
                    result.add(MAPPER.readValue(file.toFile(), ModelManifest.class));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the models directory " + root.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        result.sort(Comparator.comparingLong(ModelManifest::version));
        return result;
    }

    /** The newest manifest for a model name. */
    public Optional<ModelManifest> latest(String name) {
        return manifests().stream().filter(m -> m.name().equals(name)).reduce((a, b) -> b);
    }

    /** Reads a model's bytes. */
    public byte[] read(ModelManifest manifest) throws IOException {
        return Files.readAllBytes(modelFile(manifest.name(), manifest.version()));
    }

    /** A model's signature, if the directory holds one. */
    public Optional<String> readSignature(ModelManifest manifest) throws IOException {
        Path file = signatureFile(manifest.name(), manifest.version());
        return Files.exists(file) ? Optional.of(Files.readString(file, java.nio.charset.StandardCharsets.US_ASCII).trim()) : Optional.empty();
    }

    /** Deletes all but the newest {@code keep} versions of a model name. */
    public void prune(String name, int keep) {
        List<ModelManifest> all = manifests().stream().filter(m -> m.name().equals(name)).toList();
        for (int i = 0; i < all.size() - keep; i++) {
            ModelManifest old = all.get(i);
            try {
                Files.deleteIfExists(manifestFile(name, old.version()));
                Files.deleteIfExists(modelFile(name, old.version()));
                Files.deleteIfExists(signatureFile(name, old.version()));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot delete old model " + name + " v" + old.version() + " from " + root.toAbsolutePath() + ".", e);
            }
        }
    }

    /** Writes bytes to {@code target} via a temp file in the same directory and an atomic rename. */
    public static void atomicWrite(Path target, byte[] data) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(tmp, data);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
