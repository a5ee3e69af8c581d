package dev.ganpipe.common.config;

import java.util.Locale;

/**
 * One configuration knob: set as {@code --name value} (or {@code --name=value}) or as the environment variable
 * {@code GAN_NAME} (upper case, dashes as underscores).
 *
 * @param name kebab-case name, e.g. {@code bootstrap-servers}
 * @param defaultValue the default, or null when the setting is optional and has none
 * @param description one sentence for {@code --help}
 * @param isSwitch a boolean that may be given bare ({@code --keep} means {@code --keep true})
 */
public record Setting(String name, String defaultValue, String description, boolean isSwitch) {

    public Setting(String name, String defaultValue, String description) {
        this(name, defaultValue, description, false);
    }

    public Setting {
        if (!name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("Setting names are kebab-case, but got '" + name + "'.");
        }
    }

    /** The command-line flag. */
    public String flag() {
        return "--" + name;
    }

    /** The environment variable. */
    public String envVar() {
        return "GAN_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
