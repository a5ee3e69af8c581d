package dev.ganpipe.deploycheck;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The default HTTP port of each service, read from the contract (docs/DESIGN.md, "Ports and endpoints"), keyed by the
 * service's compose name. The services' own config specs default to the same ports; their modules are not
 * dependencies here, so the contract is the reference.
 */
final class DesignPorts {

    static final String INGEST = "ingest";
    static final String TRAINER = "trainer";
    static final String GENERATOR = "generator-service";

    private static final Pattern ROW = Pattern.compile("^\\|\\s*(generator-service|ingest|trainer)\\s*\\|\\s*(\\d+)\\s*\\|", Pattern.MULTILINE);

    private DesignPorts() {
    }

    static Map<String, Integer> fromDesign() {
        Map<String, Integer> ports = new TreeMap<>();
        Matcher m = ROW.matcher(Repo.text("docs/DESIGN.md"));
        while (m.find()) {
            ports.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        return ports;
    }
}
