package dev.ganpipe.common.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The list of every knob of one command, in the order {@code --help} prints them. */
public final class ConfigSpec {

    private final String command;
    private final String summary;
    private final Map<String, Setting> settings = new LinkedHashMap<>();

    /**
     * @param command the command line that runs it, e.g. {@code gan trainer}
     * @param summary one sentence saying what the command does
     */
    public ConfigSpec(String command, String summary) {
        this.command = command;
        this.summary = summary;
    }

    /** Adds a setting with a default. */
    public ConfigSpec add(String name, String defaultValue, String description) {
        return put(new Setting(name, defaultValue, description));
    }

    private ConfigSpec put(Setting setting) {
        if (settings.putIfAbsent(setting.name(), setting) != null) {
            throw new IllegalArgumentException("Setting " + setting.name() + " is declared twice in " + command + ".");
        }
        return this;
    }

    /** Adds a boolean switch, false unless given; {@code --name} alone means true, {@code --name false} is allowed. */
    public ConfigSpec flag(String name, String description) {
        return put(new Setting(name, "false", description, true));
    }

    /** Adds a setting with no default (absent unless given). */
    public ConfigSpec optional(String name, String description) {
        return add(name, null, description);
    }

    /** Adds every setting of another spec (shared groups such as the Kafka connection). */
    public ConfigSpec addAll(ConfigSpec other) {
        other.settings.values().forEach(this::put);
        return this;
    }

    /** The setting of that name, if declared. */
    public Optional<Setting> setting(String name) {
        return Optional.ofNullable(settings.get(name));
    }

    /** All settings in declaration order. */
    public List<Setting> settings() {
        return Collections.unmodifiableList(new ArrayList<>(settings.values()));
    }

    /** The command line that runs this spec. */
    public String command() {
        return command;
    }

    /** The {@code --help} text: usage, summary, and every setting with its flag, variable and default. */
    public String helpText() {
        StringBuilder out = new StringBuilder();
        out.append("Usage: ").append(command).append(" [options]\n\n").append(summary).append("\n\nOptions (flag, or environment variable; flags win):\n");
        for (Setting s : settings.values()) {
            out.append(String.format("  %-30s %s%n", s.flag() + (s.isSwitch() ? "" : " <value>"), s.description()));
            out.append(String.format("  %-30s env %s; default: %s%n", "", s.envVar(),
                    s.defaultValue() == null ? "(none)" : s.defaultValue().isEmpty() ? "(empty)" : s.defaultValue()));
        }
        out.append(String.format("  %-30s %s%n", "--help", "Print this help and exit."));
        return out.toString();
    }
}
