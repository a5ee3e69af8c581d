package dev.ganpipe.launcher.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;

/**
 * One JSON object a line: {@code time}, {@code level}, {@code logger}, {@code thread}, {@code message}, then every
 * entry of the line's logging context (MDC: {@code requestId}, {@code modelVersion}) as a string field, and
 * {@code error} with the stack trace when the line carries one. Written by hand: a dozen fields need no JSON library
 * in the logging path.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        StringBuilder json = new StringBuilder(256).append('{');
        field(json, "time", event.getInstant().toString());
        field(json, "level", event.getLevel().toString());
        field(json, "logger", event.getLoggerName());
        field(json, "thread", event.getThreadName());
        field(json, "message", event.getFormattedMessage());
        // Sorted, so that lines of one request read alike.
        new TreeMap<>(event.getMDCPropertyMap()).forEach((key, value) -> field(json, key, value));
        IThrowableProxy error = event.getThrowableProxy();
        if (error != null) {
            field(json, "error", ThrowableProxyUtil.asString(error));
        }
        return json.append("}\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }

    private static void field(StringBuilder json, String name, String value) {
        if (json.length() > 1) {
            json.append(',');
        }
        string(json, name);
        json.append(':');
        string(json, value == null ? "" : value);
    }

    private static void string(StringBuilder json, String s) {
        json.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
