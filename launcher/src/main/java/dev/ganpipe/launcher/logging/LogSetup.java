package dev.ganpipe.launcher.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * {@code --log-format text|json} (or {@code GAN_LOG_FORMAT}), taken out of the launcher's arguments before a command
 * sees them, so that every command has it. Text is logback.xml's pattern; json swaps the encoder of every appender
 * for {@link JsonLineEncoder}.
 */
public final class LogSetup {

    public static final String OPTION = "--log-format";
    public static final String ENVIRONMENT_VARIABLE = "GAN_LOG_FORMAT";

    /** How lines are written. */
    public enum Format {
        TEXT, JSON;

        static Format parse(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "text" -> TEXT;
                case "json" -> JSON;
                default -> throw new IllegalArgumentException("Unknown log format '" + value + "'; use " + OPTION + " text or " + OPTION + " json.");
            };
        }
    }

    private LogSetup() {
    }

    /**
     * Applies the log format named by {@code --log-format X} or {@code --log-format=X} anywhere in {@code args} (else
     * by {@code GAN_LOG_FORMAT}, else text) and returns the arguments without it.
     *
     * @throws IllegalArgumentException when the format is unknown or the option has no value
     */
    public static List<String> apply(List<String> args, Map<String, String> environment) {
        List<String> rest = new ArrayList<>(args);
        Format format = Format.parse(environment.getOrDefault(ENVIRONMENT_VARIABLE, "text"));
        for (Iterator<String> it = rest.iterator(); it.hasNext(); ) {
            String arg = it.next();
            if (arg.equals(OPTION)) {
                it.remove();
                if (!it.hasNext()) {
                    throw new IllegalArgumentException(OPTION + " needs a value: " + OPTION + " text or " + OPTION + " json.");
                }
                format = Format.parse(it.next());
                it.remove();
            } else if (arg.startsWith(OPTION + "=")) {
                it.remove();
                format = Format.parse(arg.substring(OPTION.length() + 1));
            }
        }
        if (format == Format.JSON) {
            useJson(loggerContext());
        }
        return rest;
    }

    /** Writes every line of {@code context}'s root appenders as JSON from now on. */
    public static void useJson(LoggerContext context) {
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender) {
                JsonLineEncoder encoder = new JsonLineEncoder();
                encoder.setContext(context);
                encoder.start();
                appender.stop();
                appender.setEncoder(encoder);
                appender.start();
            }
        }
    }

    private static LoggerContext loggerContext() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext context) {
            return context;
        }
        throw new IllegalStateException("JSON logs need logback as the logging backend, but " + factory.getClass().getName()
                + " is bound; run through ./gan, whose class path has logback and no other SLF4J provider.");
    }
}
