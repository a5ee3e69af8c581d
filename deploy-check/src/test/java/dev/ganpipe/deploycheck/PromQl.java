package dev.ganpipe.deploycheck;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the metric names a PromQL expression selects. Not a full parser: it removes what cannot hold a metric name
 * (strings, label matchers, ranges, Grafana variables, grouping label lists), then every identifier left that is not
 * a function call, an aggregation or a keyword is a metric name. Good enough for the expressions we write, and
 * strict in the safe direction: an identifier it cannot place counts as a metric name and must be known.
 */
final class PromQl {

    private static final Set<String> KEYWORDS = Set.of(
            "and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset",
            "inf", "nan", "atan2",
            // Aggregations may be followed by a grouping clause instead of their parenthesis: `sum by (le) (...)`.
            "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk",
            "quantile", "limitk", "limit_ratio");

    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern GRAFANA_VARIABLES = Pattern.compile("\\$\\{[^}]*\\}|\\$\\w+");
    private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*\\}");
    private static final Pattern RANGES = Pattern.compile("\\[[^\\]]*\\]");
    private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");

    private PromQl() {
    }

    /** The metric names {@code expr} selects. */
    static Set<String> metricNames(String expr) {
        String s = STRINGS.matcher(expr).replaceAll("\"\"");
        s = GRAFANA_VARIABLES.matcher(s).replaceAll("");
        s = LABEL_MATCHERS.matcher(s).replaceAll("");
        s = RANGES.matcher(s).replaceAll("");
        s = GROUPING.matcher(s).replaceAll("$1");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            boolean call = m.group(2) != null;
            String name = m.group(1);
            if (!call && !KEYWORDS.contains(name.toLowerCase(Locale.ROOT))) {
                names.add(name);
            }
        }
        return names;
    }
}
