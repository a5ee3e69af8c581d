package dev.ganpipe.common.config;

import java.io.Serial;

/** A configuration value is missing or malformed; the message says which flag to fix and how. */
public final class ConfigException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
