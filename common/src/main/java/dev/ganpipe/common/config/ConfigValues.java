package dev.ganpipe.common.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Values for one {@link ConfigSpec}, resolved from CLI flags, then environment variables, then defaults, with
 * typed getters whose errors name the flag and the variable to fix.
 */
public final class ConfigValues {

    private final ConfigSpec spec;
    private final Map<String, String> values;
    private final List<String> positional;
    private final boolean helpRequested;

    private ConfigValues(ConfigSpec spec, Map<String, String> values, List<String> positional, boolean helpRequested) {
        this.spec = spec;
        this.values = values;
        this.positional = List.copyOf(positional);
        this.helpRequested = helpRequested;
    }

    /**
     * Parses {@code args} against the spec.
     *
     * @throws ConfigException for an unknown flag or a flag without its value
     */
    public static ConfigValues parse(ConfigSpec spec, List<String> args, Map<String, String> env) {
        Map<String, String> values = new HashMap<>();
        for (Setting s : spec.settings()) {
            String fromEnv = env.get(s.envVar());
            if (fromEnv != null) {
                values.put(s.name(), fromEnv);
            } else if (s.defaultValue() != null) {
                values.put(s.name(), s.defaultValue());
            }
        }
        List<String> positional = new ArrayList<>();
        boolean help = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
            } else if (arg.startsWith("--")) {
                int eq = arg.indexOf('=');
                String name = arg.substring(2, eq < 0 ? arg.length() : eq);
                Setting setting = spec.setting(name).orElseThrow(() -> new ConfigException(
                        "Unknown option --" + name + " for '" + spec.command() + "'; run it with --help to list the options."));
                String value;
                if (eq >= 0) {
                    value = arg.substring(eq + 1);
                } else if (setting.isSwitch()) {
                    // A switch takes an explicit true/false after it, and means true alone.
                    boolean explicit = i + 1 < args.size() && args.get(i + 1).matches("(?i)true|false|yes|no|on|off|1|0");
                    value = explicit ? args.get(++i) : "true";
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw new ConfigException("Option " + setting.flag() + " needs a value; run with --help for an example.");
                }
                values.put(name, value);
            } else {
                positional.add(arg);
            }
        }
        return new ConfigValues(spec, values, positional, help);
    }

    /** Parses with the process environment. */
    public static ConfigValues parse(ConfigSpec spec, String... args) {
        return parse(spec, Arrays.asList(args), System.getenv());
    }

    /** Whether {@code --help} was given. */
    public boolean helpRequested() {
        return helpRequested;
    }

    /** The spec these values belong to. */
    public ConfigSpec spec() {
        return spec;
    }

    /** Arguments that were not options, e.g. paths to ingest. */
    public List<String> positional() {
        return positional;
    }

    /** The value, if set or defaulted. */
    public Optional<String> optional(String name) {
        declared(name);
        String value = values.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    /** The value; fails with a sentence naming the flag when it is missing. */
    public String string(String name) {
        Setting s = declared(name);
        return optional(name).orElseThrow(() -> new ConfigException(
                "Missing required option " + s.flag() + " (or environment variable " + s.envVar() + "): " + s.description()));
    }

    public int integer(String name) {
        return parseOr(name, Integer::parseInt, "an integer, e.g. 64");
    }

    public long longValue(String name) {
        return parseOr(name, Long::parseLong, "an integer");
    }

    public double decimal(String name) {
        return parseOr(name, Double::parseDouble, "a number, e.g. 0.5");
    }

    public boolean bool(String name) {
        String v = string(name).trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw invalid(name, v, "true or false");
        };
    }

    /**
     * One of {@code type}'s constants, named in any case ({@code pause} for {@code PAUSE}); a value that names none fails
     * with a sentence that lists them.
     */
    public <E extends Enum<E>> E choice(String name, Class<E> type) {
        String v = string(name).trim();
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(v)) {
                return constant;
            }
            names.add("'" + constant.name().toLowerCase(Locale.ROOT) + "'");
        }
        String last = names.removeLast();
        throw invalid(name, v, names.isEmpty() ? last : String.join(", ", names) + " or " + last);
    }

    public Path path(String name) {
        return Path.of(string(name));
    }

    /** A duration written as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h} or ISO-8601 ({@code PT30S}). */
    public Duration duration(String name) {
        String v = string(name).trim();
        try {
            if (v.startsWith("P") || v.startsWith("p")) {
                return Duration.parse(v);
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long amount = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> throw invalid(name, v, "a duration such as 500ms, 30s, 5m or 2h");
            };
        } catch (RuntimeException e) {
            if (e instanceof ConfigException ce) {
                throw ce;
            }
            throw invalid(name, v, "a duration such as 500ms, 30s, 5m or 2h");
        }
    }

    private <T> T parseOr(String name, java.util.function.Function<String, T> parser, String expected) {
        String v = string(name).trim();
        try {
            return parser.apply(v);
        } catch (RuntimeException e) {
            throw invalid(name, v, expected);
        }
    }

    private ConfigException invalid(String name, String value, String expected) {
        Setting s = declared(name);
        return new ConfigException("Option " + s.flag() + " (" + s.envVar() + ") must be " + expected + ", but was '" + value + "'.");
    }

    private Setting declared(String name) {
        return spec.setting(name).orElseThrow(() -> new IllegalArgumentException(
                "Setting " + name + " is not declared in the spec of '" + spec.command() + "'; declare it before reading it."));
    }
}
