package dev.ganpipe.deploycheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The repository this module checks: its root, and its YAML, JSON and text files parsed. */
final class Repo {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Repo() {
    }

    /** The repository root: the first folder up from the working directory that holds docker-compose.yml. */
    static Path root() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("docker-compose.yml")) && Files.isRegularFile(d.resolve("pom.xml"))) {
                return d;
            }
        }
        throw new IllegalStateException("No docker-compose.yml next to a pom.xml in " + dir
                + " or any folder above it; run these tests from the repository (./gan mvn -pl deploy-check install).");
    }

    static Path file(String relative) {
        Path path = root().resolve(relative);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(relative + " is missing from the repository root " + root() + ".");
        }
        return path;
    }

    static JsonNode yaml(String relative) {
        try {
            return YAML.readTree(file(relative).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(relative + " is not valid YAML: " + e.getMessage(), e);
        }
    }

    static JsonNode json(Path path) {
        try {
            return JSON.readTree(path.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(root().relativize(path) + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    static String text(String relative) {
        try {
            return Files.readString(file(relative));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + relative + ".", e);
        }
    }

    /** docker-compose.yml's services, by name. */
    static Map<String, JsonNode> composeServices() {
        JsonNode services = yaml("docker-compose.yml").path("services");
        Map<String, JsonNode> result = new java.util.LinkedHashMap<>();
        services.properties().forEach(e -> result.put(e.getKey(), e.getValue()));
        return result;
    }

    /** The text values of an array node, or of a single text node; empty for a missing node. */
    static List<String> texts(JsonNode node) {
        List<String> result = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> result.add(n.asText()));
        } else if (!node.isMissingNode() && !node.isNull()) {
            result.add(node.asText());
        }
        return result;
    }

    /** A compose {@code environment} block in either map or {@code KEY=value} list form. */
    static Map<String, String> environment(JsonNode service) {
        Map<String, String> env = new java.util.TreeMap<>();
        JsonNode node = service.path("environment");
        if (node.isObject()) {
            node.properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        } else {
            for (String entry : texts(node)) {
                int eq = entry.indexOf('=');
                env.put(eq < 0 ? entry : entry.substring(0, eq), eq < 0 ? "" : entry.substring(eq + 1));
            }
        }
        return env;
    }
}
