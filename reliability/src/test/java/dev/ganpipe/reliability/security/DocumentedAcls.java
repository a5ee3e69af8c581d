package dev.ganpipe.reliability.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The {@code kafka-acls} lines of docs/security.md (those that start with {@code $ACLS}), read as the tool reads them,
 * so that the tests grant exactly what the page tells operators to grant.
 */
final class DocumentedAcls {

    /** The page, from the module's directory (where Maven runs the tests). */
    static final Path SECURITY_DOC = Path.of("").toAbsolutePath().resolveSibling("docs").resolve("security.md");
    private static final String PREFIX = "$ACLS ";

    private DocumentedAcls() {
    }

    /** Every binding of every {@code $ACLS} line of the page. */
    static List<AclBinding> all() {
        List<String> lines;
        try {
            lines = Files.readAllLines(SECURITY_DOC);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + SECURITY_DOC + "; run the tests from the reliability module's directory.", e);
        }
        List<AclBinding> bindings = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith(PREFIX)) {
                bindings.addAll(parse(line.substring(PREFIX.length())));
            }
        }
        if (bindings.isEmpty()) {
            throw new IllegalStateException(SECURITY_DOC + " lists no '" + PREFIX + "...' line; the ACL section is missing.");
        }
        return bindings;
    }

    /** The bindings of one command line's arguments (after {@code kafka-acls.sh ... --add}). */
    static List<AclBinding> parse(String arguments) {
        List<String> args = Arrays.asList(arguments.trim().split("\\s+"));
        String principal = null;
        List<AclOperation> operations = new ArrayList<>();
        ResourceType type = null;
        String name = null;
        PatternType pattern = PatternType.LITERAL;
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            switch (flag) {
                case "--allow-principal" -> principal = args.get(++i);
                case "--operation" -> operations.add(operation(args.get(++i)));
                case "--topic" -> {
                    type = ResourceType.TOPIC;
                    name = args.get(++i);
                }
                case "--group" -> {
                    type = ResourceType.GROUP;
                    name = args.get(++i);
                }
                case "--transactional-id" -> {
                    type = ResourceType.TRANSACTIONAL_ID;
                    name = args.get(++i);
                }
                case "--cluster" -> {
                    type = ResourceType.CLUSTER;
                    name = "kafka-cluster";
                }
                case "--resource-pattern-type" -> pattern = PatternType.fromString(args.get(++i).toUpperCase(Locale.ROOT));
                default -> throw new IllegalArgumentException("docs/security.md has an ACL line with '" + flag
                        + "', which this test does not read: " + arguments);
            }
        }
        if (principal == null || operations.isEmpty() || type == null) {
            throw new IllegalArgumentException("docs/security.md has an ACL line without principal, operation or resource: " + arguments);
        }
        List<AclBinding> bindings = new ArrayList<>();
        for (AclOperation operation : operations) {
            bindings.add(new AclBinding(new ResourcePattern(type, name, pattern),
                    new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
        }
        return bindings;
    }

    private static AclOperation operation(String name) {
        // kafka-acls spells them in CamelCase (Read, DescribeConfigs, All); the enum in upper snake case.
        AclOperation operation = AclOperation.fromString(name.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
        if (operation == AclOperation.UNKNOWN) {
            throw new IllegalArgumentException("docs/security.md names the unknown ACL operation '" + name + "'.");
        }
        return operation;
    }
}
