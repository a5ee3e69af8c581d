package dev.ganpipe.reliability.security;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The client {@code .properties} examples of docs/security.md, read from the page, so that the tests use exactly what
 * it tells operators to put into a {@code --kafka-config} file. The page's example paths ({@code /etc/gan/...}) and
 * passwords are replaced by the test's own certificates.
 */
final class DocumentedClientConfig {

    private static final String FENCE_OPEN = "```properties";
    private static final String FENCE_CLOSE = "```";

    private DocumentedClientConfig() {
    }

    /** The {@code ```properties} blocks of the section headed {@code ## <title>}, in page order. */
    static List<Map<String, String>> blocks(String title) {
        List<String> lines;
        try {
            lines = Files.readAllLines(DocumentedAcls.SECURITY_DOC);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + DocumentedAcls.SECURITY_DOC + "; run the tests from the reliability module's directory.", e);
        }
        int start = lines.indexOf("## " + title);
        if (start < 0) {
            throw new IllegalStateException(DocumentedAcls.SECURITY_DOC + " has no section '## " + title + "'.");
        }
        List<Map<String, String>> blocks = new ArrayList<>();
        StringBuilder block = null;
        for (String line : lines.subList(start + 1, lines.size())) {
            if (block == null && line.startsWith("## ")) {
                break;
            }
            if (block == null && line.trim().equals(FENCE_OPEN)) {
                block = new StringBuilder();
            } else if (block != null && line.trim().equals(FENCE_CLOSE)) {
                blocks.add(parse(block.toString()));
                block = null;
            } else if (block != null) {
                block.append(line).append('\n');
            }
        }
        if (blocks.isEmpty()) {
            throw new IllegalStateException("The section '## " + title + "' of " + DocumentedAcls.SECURITY_DOC + " has no properties example.");
        }
        return blocks;
    }

    /**
     * {@code documented} with its example paths and passwords replaced: {@code *truststore.location} by
     * {@code truststore}, {@code *keystore.location} by {@code keystore}, every {@code *.password} by {@code password}.
     */
    static Map<String, String> localize(Map<String, String> documented, Path truststore, Path keystore, String password) {
        Map<String, String> props = new TreeMap<>();
        documented.forEach((key, value) -> {
            String local = value;
            if (key.endsWith("truststore.location")) {
                local = truststore.toString();
            } else if (key.endsWith("keystore.location")) {
                if (keystore == null) {
                    throw new IllegalArgumentException("The documented example names a keystore (" + key + "), but the test gave none.");
                }
                local = keystore.toString();
            } else if (key.endsWith(".password")) {
                local = password;
            } else if (value.contains("/etc/gan/")) {
                throw new IllegalArgumentException("docs/security.md has an example path in '" + key + "', which this test does not replace.");
            }
            props.put(key, local);
        });
        return props;
    }

    private static Map<String, String> parse(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot parse a properties example of " + DocumentedAcls.SECURITY_DOC + ".", e);
        }
        Map<String, String> result = new TreeMap<>();
        p.stringPropertyNames().forEach(name -> result.put(name, p.getProperty(name)));
        return result;
    }
}
