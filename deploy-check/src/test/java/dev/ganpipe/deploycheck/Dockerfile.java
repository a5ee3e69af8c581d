package dev.ganpipe.deploycheck;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docker/Dockerfile's stages, the base images they start from (with {@code ARG} defaults substituted), its build
 * arguments, and the base images written into a {@code FROM} line instead of coming from a build argument.
 */
record Dockerfile(Set<String> stages, Set<String> baseImages, Set<String> buildArgs, Set<String> literalBaseImages) {

    private static final Pattern ARG = Pattern.compile("^ARG\\s+(\\w+)=(\\S+)\\s*$", Pattern.MULTILINE);
    private static final Pattern FROM = Pattern.compile("^FROM\\s+(\\S+)(?:\\s+AS\\s+(\\S+))?\\s*$", Pattern.MULTILINE | Pattern.CASE_INSENSITIVE);
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)\\}?");

    static Dockerfile read() {
        String text = Repo.text("docker/Dockerfile");
        Map<String, String> args = new TreeMap<>();
        Matcher arg = ARG.matcher(text);
        while (arg.find()) {
            args.putIfAbsent(arg.group(1), arg.group(2));
        }
        Set<String> stages = new LinkedHashSet<>();
        Set<String> images = new LinkedHashSet<>();
        Set<String> literal = new LinkedHashSet<>();
        Matcher from = FROM.matcher(text);
        while (from.find()) {
            String base = VARIABLE.matcher(from.group(1)).replaceAll(m -> Matcher.quoteReplacement(args.getOrDefault(m.group(1), m.group())));
            if (!stages.contains(base)) {
                images.add(base);
                if (!VARIABLE.matcher(from.group(1)).find()) {
                    literal.add(base);
                }
            }
            if (from.group(2) != null) {
                stages.add(from.group(2));
            }
        }
        // COPY --from=<image> may name an image directly; ours name stages only.
        for (String line : List.of(text.split("\n"))) {
            Matcher copy = Pattern.compile("COPY\\s+--from=(\\S+)").matcher(line);
            if (copy.find() && !stages.contains(copy.group(1))) {
                images.add(copy.group(1));
                literal.add(copy.group(1));
            }
        }
        return new Dockerfile(stages, images, args.keySet(), literal);
    }
}
